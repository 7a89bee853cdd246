"""The reference: a bare python-telegram-bot v22 echo bot, built the documented way.

It follows PTB's ``examples/customwebhookbot/starlettebot.py``: a Starlette route puts each
update on ``application.update_queue`` and answers 200 at once; the application processes the
queue with default settings (one update at a time), or with ``--concurrent N``.

Usage: python -m bench.echo_bot PORT [--concurrent N]   (env: TOKEN, BASE_URL)
"""

from __future__ import annotations

import asyncio
import os
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.message is not None and update.message.text is not None:
        await update.message.reply_text(update.message.text)


async def main(port: int, concurrent: int) -> None:
    builder = Application.builder().token(os.environ["TOKEN"]).base_url(os.environ["BASE_URL"])
    builder = builder.updater(None)
    if concurrent > 1:
        builder = builder.concurrent_updates(concurrent)
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))

    async def telegram(request: Request) -> Response:
        await application.update_queue.put(
            Update.de_json(data=await request.json(), bot=application.bot)
        )
        return Response()

    async def health(_: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    starlette_app = Starlette(
        routes=[
            Route("/telegram", telegram, methods=["POST"]),
            Route("/healthz", health, methods=["GET"]),
        ]
    )
    webserver = uvicorn.Server(
        uvicorn.Config(app=starlette_app, port=port, host="127.0.0.1", log_level="warning")
    )
    async with application:
        await application.start()
        await webserver.serve()
        await application.stop()


if __name__ == "__main__":
    concurrent = (
        int(sys.argv[sys.argv.index("--concurrent") + 1]) if "--concurrent" in sys.argv else 1
    )
    asyncio.run(main(int(sys.argv[1]), concurrent))
