"""Channels: the edges where the engine meets a terminal, Telegram or a webhook."""
