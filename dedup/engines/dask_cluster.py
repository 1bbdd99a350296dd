"""A Dask client for the Dask engine: an existing cluster, or a local one started and stopped here.

Only this module and ``dedup.engines.dask_engine`` import dask. Connecting fails with one
``UsageError`` (which the CLI prints as one ``error:`` line): the extra is not installed, the
scheduler cannot be reached in time, or the workers cannot run this version of dedup.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

from dedup import __version__
from dedup.errors import UsageError

if TYPE_CHECKING:
    from distributed import Client

INSTALL_HINT = "pip install 'dedup-paragraphs[dask]'"
#: Seconds to wait for a scheduler (and its first worker) before giving up.
CONNECT_TIMEOUT = 10.0
#: Loggers that print to stderr while a cluster starts, works and stops.
_LOGGERS = ("distributed", "dask", "tornado", "asyncio", "bokeh")


def require_dask() -> None:
    """Raise ``UsageError`` naming the extra when dask or distributed cannot be imported."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise UsageError(
            f"--engine dask needs the dask extra ({exc.name or 'dask'} is not installed): "
            f"{INSTALL_HINT}"
        ) from None


@contextmanager
def quiet_logs(level: int = logging.CRITICAL) -> Iterator[None]:
    """Silence dask's and its libraries' loggers in this process while the block runs."""
    saved = {name: logging.getLogger(name).level for name in _LOGGERS}
    for name in _LOGGERS:
        logging.getLogger(name).setLevel(level)
    try:
        yield
    finally:
        for name, old in saved.items():
            logging.getLogger(name).setLevel(old)


@contextmanager
def connect(
    scheduler: str | None, workers: int, *, timeout: float | None = None
) -> Iterator[Client]:
    """Yield a client of the cluster at ``scheduler``, or of a local cluster of ``workers``.

    The local cluster has one single-threaded worker process per job, on the loopback
    interface, without a dashboard; it is shut down when the block ends. ``timeout``
    (default ``CONNECT_TIMEOUT``) bounds connecting and waiting for a worker.
    """
    require_dask()
    from distributed import Client, LocalCluster

    timeout = CONNECT_TIMEOUT if timeout is None else timeout

    with ExitStack() as stack:
        stack.enter_context(quiet_logs())
        if scheduler is None:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    # No dashboard, but the scheduler still serves HTTP (health, metrics):
                    # on loopback at a free port, not on 8787 that another cluster may hold.
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                    silence_logs=logging.CRITICAL,
                )
            )
            client = stack.enter_context(Client(cluster, set_as_default=False))
            where = "the local cluster"
        else:
            try:
                client = Client(scheduler, timeout=timeout, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise UsageError(
                    f"--scheduler {scheduler}: cannot connect within {timeout:g} s ({reason})"
                ) from None
            stack.enter_context(client)
            where = f"the cluster at {scheduler}"
        check_workers(client, where, timeout)
        yield client


def check_workers(client: Client, where: str, timeout: float) -> None:
    """Fail unless the cluster has a worker and every worker runs this version of dedup."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"{where} has no worker (waited {timeout:g} s)") from exc
    try:
        versions = client.run(worker_version)
    except Exception as exc:  # an ImportError raised on a worker arrives re-raised here
        raise UsageError(
            f"the workers of {where} cannot run dedup ({type(exc).__name__}: {exc}); "
            f"install dedup-paragraphs {__version__} with the dask extra on every worker"
        ) from None
    other = sorted({f"{v} on {w}" for w, v in versions.items() if v != __version__})
    if other:
        raise UsageError(
            f"the workers of {where} run another dedup ({', '.join(other)}); "
            f"this is {__version__}: install the same version everywhere"
        )


def worker_version() -> str:
    """Import the engine on a worker and return its dedup version (run on every worker).

    Importing here, before any task, fails early on a worker without dedup and keeps the
    import out of the first task's time.
    """
    import dedup.engines.dask_engine  # noqa: F401

    return __version__
