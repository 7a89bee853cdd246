"""A session store on Redis: shared by several bot processes (webhook replicas).

URL form: ``redis://host:port/db`` (``rediss://`` for TLS; a password goes in
``redis://:password@host:port/db``). Keys, all under the prefix ``hipbot:``:

- ``hipbot:session:<key>``: the session JSON, expiring ``idle_ttl`` seconds after the last save;
- ``hipbot:update:<dedupe id>``: ``1`` for a day once the event has been saved (for Telegram,
  the dedupe id is the ``update_id``);
- ``hipbot:lock:<key>``: the cross-process lock, holding its holder's random token;
- ``hipbot:queue:<key>``: the waiters that gave an ``order`` (a sorted set scored by it);
- ``hipbot:checkins:ready`` / ``hipbot:checkins:due``: planned check-ins, a sorted set of keys
  scored by when they may next be claimed and a hash of their due times (one Lua script claims a
  batch and pushes each claimed score a lease ahead).

The lock is taken in two steps: first an in-process per-key lock (so local waiters queue in order
without polling Redis), then the Redis lock (so other replicas wait). The Redis lock is a lease of
``lock_lease`` seconds that its holder renews while it works, up to ``lock_timeout`` seconds in
all: the lock of a crashed process frees itself within ``lock_lease``, that of a hung one after
``lock_timeout``. A waiter with an ``order`` joins the key's queue first, and takes the Redis lock
only once no earlier entry is left. Once an update is processed, releasing its lock removes every
entry it left, also those of an attempt whose process crashed; any other entry left behind
expires after ``lock_wait + lock_timeout`` seconds. Joining the queue, checking it and taking the
lock is one Lua script, which also reads the session for the first read under the lock;
releasing the lock and leaving the queue is another. A turn nobody else is waiting for thus costs
two round trips for its locking and none for loading.

A turn's commands (taking the lock, saving, releasing it) go over one connection that every chat
of the process shares (:mod:`bot.store._redis_batch`): those issued while a batch is out go out
together in the next write, so under load one write and one wake-up of Redis carry many chats'
commands. The rarer calls (check-ins, the inbox, deleting, health) use the client's own pool.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from functools import partial

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import RedisError

from bot.store._locks import KeyedLock
from bot.store._redis_batch import BatchedConnection
from bot.store._tag import tag
from bot.store._url import check_redis, check_ttl
from bot.store.base import (
    DEFAULT_IDLE_TTL,
    PROCESSED_UPDATE_TTL,
    Held,
    ReleaseWriteFailed,
    SessionStore,
    StoreUnavailable,
)

logger = logging.getLogger(__name__)
MAX_CONNECTIONS = 256


class RedisSessionStore(SessionStore):
    """Sessions in Redis, with a lock that holds across processes.

    Args:
        client: The connection to use; :meth:`close` closes it. Responses may be ``bytes`` or
            ``str``.
        idle_ttl: Seconds after the last save when Redis drops a session; ``None`` keeps it.
        prefix: Prefix of every key.
        lock_lease: Seconds a held lock outlives its holder (a crashed process): the holder
            renews it every third of that while it works.
        lock_timeout: Seconds after which a held lock expires even though its holder is alive
            (hung): renewing stops then.
        lock_wait: Seconds to wait for a lock before raising :class:`StoreUnavailable`.
        lock_poll_interval: Seconds between attempts while another process holds the lock.
    """

    def __init__(
        self,
        client: Redis,
        *,
        idle_ttl: float | None = DEFAULT_IDLE_TTL,
        prefix: str = "hipbot:",
        lock_lease: float = 10.0,
        lock_timeout: float = 60.0,
        lock_wait: float = 30.0,
        lock_poll_interval: float = 0.01,
    ) -> None:
        self._redis = client
        self._idle_ttl = check_ttl(idle_ttl)
        self._prefix = prefix
        self._lock_lease = min(lock_lease, lock_timeout)
        self._lock_timeout = lock_timeout
        self._lock_wait = lock_wait
        self._lock_poll_interval = lock_poll_interval
        self._local_locks = KeyedLock()
        self._scripts = _Scripts(client)
        # A turn's commands, from every chat at once, share one connection and its writes.
        self._batched = BatchedConnection(client.connection_pool, client.get_retry())
        # What taking a key's lock read in the same round trip, for the first read under it.
        self._fetched: dict[str, _Fetched] = {}
        where = client.connection_pool.connection_kwargs
        self._where = f"Redis at {where.get('host')}:{where.get('port')}/{where.get('db')}"

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        idle_ttl: float | None = DEFAULT_IDLE_TTL,
        prefix: str = "hipbot:",
        lock_lease: float = 10.0,
        lock_timeout: float = 60.0,
        lock_wait: float = 30.0,
        socket_timeout: float = 5.0,
    ) -> RedisSessionStore:
        """Connect to ``redis://host:port/db``; the other options are as for the constructor.

        The connection is opened lazily, on first use. Each command gives up after
        ``socket_timeout`` seconds, and a lost connection is retried twice with a short backoff
        before :class:`StoreUnavailable` is raised.
        """
        check_redis(url)
        # A blocking pool: past max_connections a request waits for a free connection instead
        # of failing (a burst of chats must slow down, not error out).
        pool = BlockingConnectionPool.from_url(
            url,
            max_connections=MAX_CONNECTIONS,
            timeout=socket_timeout,
            decode_responses=True,
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
        )
        client = Redis(
            connection_pool=pool,
            retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), retries=2),
        )
        return cls(
            client,
            idle_ttl=idle_ttl,
            prefix=prefix,
            lock_lease=lock_lease,
            lock_timeout=lock_timeout,
            lock_wait=lock_wait,
        )

    @property
    def lock_timeout(self) -> float:
        """Seconds a held lock lasts at most, renewed or not: the work done under it must end
        sooner (the channel's time budget per update sees to that)."""
        return self._lock_timeout

    def _key(self, kind: str, name: str | int) -> str:
        return f"{self._prefix}{kind}:{name}"

    def _session_ttl_ms(self) -> int | None:
        return None if self._idle_ttl is None else max(1, round(self._idle_ttl * 1000))

    def _unavailable(self, exc: BaseException) -> StoreUnavailable:
        return StoreUnavailable(f"{self._where} is unavailable: {type(exc).__name__}: {exc}")

    # -- the SessionStore interface ---------------------------------------------------------

    async def load(self, key: str) -> str | None:
        try:
            [value] = await self._batched.call(("GET", self._key("session", key)))
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc
        return _optional_text(value)

    async def save(self, key: str, data: str, *, dedupe: str | None = None) -> None:
        self._fetched.pop(key, None)
        ttl_ms = self._session_ttl_ms()
        try:
            if dedupe is None:
                expiry = () if ttl_ms is None else ("PX", ttl_ms)
                await self._batched.call(("SET", self._key("session", key), data, *expiry))
            else:  # one round trip, one command: cheaper than MULTI … EXEC for the client
                keys = [self._key("session", key), self._key("update", dedupe)]
                ttl = "" if ttl_ms is None else str(ttl_ms)
                await self._batched.script(
                    self._scripts.save, keys, [data, ttl, PROCESSED_UPDATE_TTL]
                )
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc

    async def delete(self, key: str) -> None:
        self._fetched.pop(key, None)
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.delete(self._key("session", key))
                pipe.zrem(self._key("checkins", "ready"), key)
                pipe.hdel(self._key("checkins", "due"), key)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc

    async def schedule(self, key: str, due: float) -> None:
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zadd(self._key("checkins", "ready"), {key: due})
                pipe.hset(self._key("checkins", "due"), key, repr(due))
                await pipe.execute()
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc

    async def unschedule(self, key: str) -> None:
        await self.finish_due(key, None)

    async def claim_due(self, now: float, *, lease: float, limit: int) -> list[tuple[str, float]]:
        keys = [self._key("checkins", "ready"), self._key("checkins", "due")]
        try:
            flat = await self._scripts.claim(keys=keys, args=[repr(now), repr(now + lease), limit])
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc
        pairs = zip(flat[::2], flat[1::2], strict=True)
        return [(_text(key), float(_text(due))) for key, due in pairs if _text(due)]

    async def finish_due(self, key: str, due: float | None) -> None:
        keys = [self._key("checkins", "ready"), self._key("checkins", "due")]
        try:
            await self._scripts.finish(keys=keys, args=[key, "" if due is None else repr(due)])
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc

    async def mark_processed(self, dedupe: str) -> None:
        try:
            await self._batched.call(
                ("SET", self._key("update", dedupe), 1, "EX", PROCESSED_UPDATE_TTL)
            )
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc

    async def was_processed(self, dedupe: str) -> bool:
        try:
            [count] = await self._batched.call(("EXISTS", self._key("update", dedupe)))
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc
        return bool(count)

    async def load_unless_processed(self, key: str, dedupe: str | None) -> tuple[bool, str | None]:
        fetched = self._fetched.pop(key, None)
        if fetched is not None and fetched.dedupe == dedupe:
            return fetched.processed, None if fetched.processed else fetched.session
        if dedupe is None:
            return False, await self.load(key)
        try:
            processed, value = await self._batched.call(
                ("EXISTS", self._key("update", dedupe)), ("GET", self._key("session", key))
            )
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc
        if processed:
            return True, None
        return False, _optional_text(value)

    async def inbox_add(self, items: Sequence[tuple[int, str]]) -> None:
        if not items:
            return
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                for position, data in items:
                    pipe.hsetnx(self._key("inbox", "updates"), str(position), data)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc

    async def inbox_pending(self) -> list[tuple[int, str]]:
        try:
            kept = await self._redis.hgetall(self._key("inbox", "updates"))
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc
        return sorted((int(_text(k)), _text(v)) for k, v in kept.items())

    async def inbox_remove(self, position: int) -> None:
        try:
            await self._redis.hdel(self._key("inbox", "updates"), str(position))
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc

    def lock(
        self, key: str, *, order: int | None = None, dedupe: str | None = None
    ) -> AbstractAsyncContextManager[Held]:
        return self._hold(key, order, dedupe)

    async def ping(self) -> None:
        """Prove that a write goes through now (Redis out of memory, a read-only replica or a
        failed snapshot with ``stop-writes-on-bgsave-error`` refuse it)."""
        try:
            await self._redis.set(self._key("health", "write"), "1", px=60_000)
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc

    async def capacity(self) -> dict[str, int]:
        try:
            memory = await self._redis.info("memory")
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc
        return {
            "memory_used_bytes": int(memory.get("used_memory", 0)),
            "memory_limit_bytes": int(memory.get("maxmemory", 0)),  # 0: no limit set
        }

    async def close(self) -> None:
        await self._batched.close()
        await self._redis.aclose(close_connection_pool=True)

    # -- locking ----------------------------------------------------------------------------

    @asynccontextmanager
    async def _hold(self, key: str, order: int | None, dedupe: str | None) -> AsyncIterator[Held]:
        entry = self._queue_entry() if order is not None else ""
        joining = entry
        if order is not None and self._local_locks.busy(key):
            # Join the queue before waiting for the local lock, so that other replicas see
            # every earlier update of the key, also those still waiting here. Otherwise the
            # local lock is free, taken at once, and joining is part of taking the Redis lock.
            await self._enqueue(key, order, entry)
            joining = ""
        left = False
        try:
            async with self._local_locks.hold(key):
                token = await self._acquire(key, order, dedupe, joining)
                renewal = _Renewal(
                    partial(self._renew, key, token), self._lock_lease, self._lock_timeout
                )
                held = Held()
                try:
                    yield held
                except BaseException:
                    held.final = None  # written only when the block succeeded
                    raise
                finally:
                    left = True
                    renewal.stop()
                    self._fetched.pop(key, None)
                    await self._release(key, token, order, dedupe, entry, held.final)
        finally:
            if entry and not left:
                await self._dequeue(key, entry)

    def _queue_entry(self) -> str:
        """A queue entry: ``<expiry time>:<id>``, so that waiters can drop it if its process
        died."""
        return f"{time.time() + self._lock_wait + self._lock_timeout:.3f}:{uuid.uuid4().hex}"

    async def _enqueue(self, key: str, order: int, entry: str) -> None:
        lifetime_ms = round((self._lock_wait + self._lock_timeout) * 1000)
        try:
            await self._batched.script(
                self._scripts.enqueue, [self._key("queue", key)], [entry, order, lifetime_ms]
            )
        except (RedisError, OSError) as exc:
            raise self._unavailable(exc) from exc

    async def _acquire(self, key: str, order: int | None, dedupe: str | None, joining: str) -> str:
        """Wait until no earlier update of ``key`` is queued and the lock is free, take the lock
        and return its token. ``joining`` is a queue entry to add first.

        One round trip when nothing is in the way; it also reads the session and whether the
        event ``dedupe`` was processed, for :meth:`load_unless_processed` to answer from.
        """
        token = uuid.uuid4().hex
        keys = [self._key("queue", key), self._key("lock", key), self._key("session", key),
                self._key("update", _processed_id(order, dedupe))]  # fmt: skip
        lock_ms = round(self._lock_lease * 1000)
        lifetime_ms = round((self._lock_wait + self._lock_timeout) * 1000)
        deadline = time.monotonic() + self._lock_wait
        while True:
            args = ["" if order is None else order, time.time(), token, lock_ms, joining,
                    lifetime_ms]  # fmt: skip
            try:
                outcome = await self._batched.script(self._scripts.acquire, keys, args)
            except (RedisError, OSError) as exc:
                raise self._unavailable(exc) from exc
            joining = ""
            if outcome[0] == _ACQUIRED:
                session = outcome[2]
                self._fetched[key] = _Fetched(
                    dedupe, bool(outcome[1]) and dedupe is not None,
                    session.decode() if isinstance(session, bytes) else session,
                )  # fmt: skip
                return token
            if time.monotonic() > deadline:
                waiting_for = (
                    "earlier updates for {key} still pending"
                    if outcome[0] == _EARLIER_PENDING
                    else "lock for {key} still held by another process"
                )
                raise StoreUnavailable(
                    f"{self._where}: {waiting_for.format(key=tag(key))} after "
                    f"{self._lock_wait:g} s"
                )
            await asyncio.sleep(self._lock_poll_interval)

    async def _renew(self, key: str, token: str) -> bool:
        """Extend the lock's lease; whether to go on renewing it."""
        try:
            owned = await self._batched.script(
                self._scripts.renew,
                [self._key("lock", key)],
                [token, round(self._lock_lease * 1000)],
            )
        except (RedisError, OSError) as exc:
            logger.warning("could not renew the lock for %s: %s", tag(key), type(exc).__name__)
            return True  # Redis may be back before the lease runs out
        if not owned:
            logger.error("lock for %s was lost while held; another process may run concurrently",
                         tag(key))  # fmt: skip
        return bool(owned)

    async def _release(
        self, key: str, token: str, order: int | None, dedupe: str | None, entry: str,
        final: str | None,
    ) -> None:  # fmt: skip
        """Release the lock and leave the queue, with the final write if any, in one round trip.

        Raises:
            ReleaseWriteFailed: ``final`` was given and may not have been written. Otherwise
                failing must not mask the block's own outcome: the lock and the queue entry
                expire anyway.
        """
        keys = [
            self._key("lock", key),
            self._key("queue", key),
            self._key("update", _processed_id(order, dedupe)),
            self._key("session", key),
        ]
        args = [token, entry, "" if order is None else order,
                "" if final is None else final, self._session_ttl_ms() or 0]  # fmt: skip
        try:
            owned = await self._batched.script(self._scripts.release, keys, args)
        except (RedisError, OSError) as exc:
            if final is not None:
                raise ReleaseWriteFailed(f"{self._unavailable(exc)}") from exc
            logger.warning(
                "could not release lock for %s; it expires in %g s: %s",
                tag(key),
                self._lock_lease,
                type(exc).__name__,
            )
            return
        if not owned:
            logger.error(
                "lock for %s expired while held (work took over %g s); "
                "another process may have run concurrently",
                tag(key),
                self._lock_timeout,
            )
            if final is not None:
                raise ReleaseWriteFailed(f"{self._where}: the lock for {tag(key)} was lost")

    async def _dequeue(self, key: str, entry: str) -> None:
        try:
            await self._batched.call(("ZREM", self._key("queue", key), entry))
        except (RedisError, OSError):
            logger.warning(
                "could not leave the queue for %s; the entry expires on its own", tag(key)
            )


def _processed_id(order: int | None, dedupe: str | None) -> str:
    """The dedupe id whose processed mark the lock scripts read: none without an ``order``
    (the scripts read it only then; ``""`` names no event)."""
    return "" if order is None or dedupe is None else dedupe


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _optional_text(value: str | bytes | None) -> str | None:
    return None if value is None else _text(value)


_ACQUIRED, _EARLIER_PENDING = 1, 0  # and 2: the lock is held


@dataclass(frozen=True, slots=True)
class _Fetched:
    """A key's data as read when its lock was taken."""

    dedupe: str | None
    processed: bool
    session: str | None


# KEYS: queue. ARGV: entry, order, lifetime in ms.
_ENQUEUE = """
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""

# KEYS: queue, lock, session, update. ARGV: order ('' for none), now (Unix seconds), token,
# lock lifetime in ms, a queue entry to add first ('' for none), queue lifetime in ms.
# Queue entries are "<expiry time>:<id>"; those of crashed processes are dropped on the way.
# Returns {1, processed, session} once the lock is taken, {0} while earlier updates are queued,
# {2} while the lock is held.
_ACQUIRE = """
local order, now = ARGV[1], tonumber(ARGV[2])
if ARGV[5] ~= '' then
    redis.call('ZADD', KEYS[1], order, ARGV[5])
    redis.call('PEXPIRE', KEYS[1], ARGV[6])
end
if order ~= '' then
    local pending = false
    for _, entry in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. order)) do
        if tonumber(string.match(entry, '^[^:]+')) < now then
            redis.call('ZREM', KEYS[1], entry)
        else
            pending = true
        end
    end
    if pending then return {0} end
end
if not redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[4]) then return {2} end
local processed = 0
if order ~= '' then processed = redis.call('EXISTS', KEYS[4]) end
return {1, processed, redis.call('GET', KEYS[3])}
"""

# KEYS: lock, queue, update, session. ARGV: token, entry ('' for none), order ('' for none), the
# session to write if the lock is still ours ('' for none), its lifetime in ms (0: none). Returns
# whether the lock was still ours. Once the update is processed, every queue entry it left is
# removed, also those of an attempt whose process crashed (they would hold up later updates).
_RELEASE = """
local owned = 0
if redis.call('GET', KEYS[1]) == ARGV[1] then
    if ARGV[4] ~= '' then
        if ARGV[5] ~= '0' then
            redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[5])
        else
            redis.call('SET', KEYS[4], ARGV[4])
        end
    end
    redis.call('DEL', KEYS[1])
    owned = 1
end
if ARGV[3] ~= '' and redis.call('EXISTS', KEYS[3]) == 1 then
    redis.call('ZREMRANGEBYSCORE', KEYS[2], ARGV[3], ARGV[3])
elseif ARGV[2] ~= '' then
    redis.call('ZREM', KEYS[2], ARGV[2])
end
return owned
"""

# KEYS: lock. ARGV: token, lease in ms. Returns whether the lock was still ours.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return 1
end
return 0
"""


# KEYS: the ready set, the due hash. ARGV: now, now + lease, limit. Returns key, due, key, due…
_CLAIM = """
local keys = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
local out = {}
for _, key in ipairs(keys) do
  redis.call('ZADD', KEYS[1], ARGV[2], key)
  out[#out + 1] = key
  out[#out + 1] = redis.call('HGET', KEYS[2], key) or ''
end
return out
"""

# KEYS: the ready set, the due hash. ARGV: the key, its due time ('' for any).
_FINISH = """
local due = redis.call('HGET', KEYS[2], ARGV[1])
if ARGV[2] == '' or (due and tonumber(due) == tonumber(ARGV[2])) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
end
return 0
"""


# KEYS: the session, the processed update. ARGV: the session JSON, its TTL in ms ('' for none),
# the processed marker's TTL in seconds. Both writes or neither, as a transaction would.
_SAVE = """
if ARGV[2] == '' then
  redis.call('SET', KEYS[1], ARGV[1])
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
redis.call('SET', KEYS[2], 1, 'EX', ARGV[3])
return 1
"""


class _Scripts:
    """The store's Lua scripts, registered with one client (sent by SHA once Redis has them)."""

    def __init__(self, client: Redis) -> None:
        self.save = client.register_script(_SAVE)
        self.claim = client.register_script(_CLAIM)
        self.finish = client.register_script(_FINISH)
        self.enqueue = client.register_script(_ENQUEUE)
        self.acquire = client.register_script(_ACQUIRE)
        self.release = client.register_script(_RELEASE)
        self.renew = client.register_script(_RENEW)


class _Renewal:
    """Renews a held lock's lease every third of it, until stopped or until renewing again
    would keep the lock past ``timeout`` seconds from now."""

    def __init__(self, renew: Callable[[], Awaitable[bool]], lease: float, timeout: float) -> None:
        self._loop = asyncio.get_running_loop()
        self._renew = renew
        self._every = lease / 3
        self._last = self._loop.time() + timeout - lease
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None
        self._schedule()

    def _schedule(self) -> None:
        if self._loop.time() + self._every <= self._last:
            self._timer = self._loop.call_later(self._every, self._start)

    def _start(self) -> None:
        self._task = self._loop.create_task(self._run())

    async def _run(self) -> None:
        if await self._renew():
            self._schedule()

    def stop(self) -> None:
        """Renew no more (the lock is being released)."""
        if self._timer is not None:
            self._timer.cancel()
        if self._task is not None:
            self._task.cancel()
