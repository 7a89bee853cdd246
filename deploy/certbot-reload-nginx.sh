#!/bin/sh
# certbot deploy hook: reload nginx after a certificate was renewed, so it serves the new one.
# Install: install -m 0755 deploy/certbot-reload-nginx.sh /etc/letsencrypt/renewal-hooks/deploy/
# certbot runs every executable in that folder after each successful renewal; a broken nginx
# configuration is reported instead of taking the running nginx down.
set -eu
nginx -t -q
systemctl reload nginx
