"""Run shards on dask.distributed: a scheduler address, or a LocalCluster of ``workers`` processes.

Each Dask worker builds its pipeline once (the worker module caches it). A
LocalCluster forks its workers from this process after the pipeline is built
here, so they start in a fraction of a second with the pipeline already loaded
(spawning would re-import everything and rebuild the pipeline in each worker).
Forking before the build, each worker building its own on its first task, gained
nothing (2026-12-05, 600 notes: 2.39 s against 2.42 s, within the noise; the workers
began annotating 0.08 s later, 0.26 s more CPU): the build only moves behind the
import of dask.distributed and the cluster's start, still before the first document.
Where the rest of the gap to the local pool goes (2026-12-05, rule pipeline, 3,078 notes): importing
dask.distributed (0.2 s of CPU before the fork), the cluster's start (0.1-0.13 s, 0.05 s of it CPU here),
and the scheduler and client working during the run (0.25-0.3 s more CPU in this process than the pool's,
spread over a few hundred small messages); the end (last task to process exit) takes about as long as the
pool's. :func:`import_distributed`, :func:`nannies_polling` and gathering straight from the workers took
0.055 s of CPU off the path to the first task, ~0.02 s of waiting, and 0.025 s of CPU off the run (medians
of 4 interleaved runs each), short of the ~0.2 s the 1.6x of issue 6 asks.
At most ``2 * workers`` shards are in flight and results are yielded in shard order. Shards
go out as tasks of 100 documents, the run's last ones as smaller tasks so that the workers finish together.
With a scheduler, the user's rule and lexicon files are read here and sent to the workers as bytes, and
every result is checked to come from the pipeline this machine would run (same medtext, same components:
a worker without the NER model would silently give other records).

Example:
    >>> list(run_on_dask(iter([]), PipelineSettings(), workers=1, scheduler=None))  # doctest: +SKIP
    []
"""

from __future__ import annotations

import logging
import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError  # distributed's futures' (not asyncio's)
from contextlib import contextmanager
from typing import Any

from medtext.batch.job import PipelineSettings
from medtext.batch.signature import Signature
from medtext.batch.tasks import Shard, cut_into_tasks
from medtext.batch.window import in_order
from medtext.batch.worker import TASK_SIZE, ShardResult, annotate_shard
from medtext.errors import Errors, InputError, MedtextError
from medtext.gc_control import collector_paused
from medtext.io.records import BadRecord

# Dask settings of a LocalCluster (not of a scheduler the user gives). Its servers (scheduler, nannies,
# workers) wake up on timers to gather diagnostics a command-line run never shows: an event-loop health
# check every 20 ms, system metrics every 500 ms, and a statistical profiler sampling the worker's task
# thread every 10 ms. On a machine whose cores the workers fill, that time is taken from the annotation:
# idle, with the defaults a cluster of two workers cost the run's process 25-29 ms of CPU a second and
# the two workers 40 ms together; with these settings 7 and 5 ms. Memory limits are still watched (pause,
# terminate), once a second instead of ten times.
LOCAL_CLUSTER_CONFIG = {
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
}

# distributed's own log records stay unprinted, in this process and in a LocalCluster's workers: at
# the end of a run a worker's heartbeat can race the scheduler's shutdown and print a traceback
# ("Failed to communicate with scheduler during heartbeat") after every record was written. Failures
# that matter reach the run as exceptions (a lost worker, an unreachable scheduler) and get medtext's
# own one-line errors.
QUIET = logging.CRITICAL

# Seconds between a LocalCluster's nannies' looks for the message of the worker they started, "registered
# with the scheduler" (distributed's default: 0.05): the cluster is ready when both nannies have seen it,
# and with the default the workers waited 20-45 ms more for their first task.
NANNY_POLL_INTERVAL = 0.005

# Seconds a run waits for a scheduler to answer, for its first worker, and for a worker again when the
# cluster has none left (tasks would wait for one for ever): then it stops with a one-line error.
PATIENCE = 30.0
# Seconds between looks at the cluster's workers while a result is awaited.
WATCH_INTERVAL = 2.0

Done = tuple[int, ShardResult, list[BadRecord]]


def run_on_dask(
    pending: Iterator[tuple[int, list[Any], list[BadRecord]]],
    settings: PipelineSettings,
    workers: int,
    scheduler: str | None,
) -> Iterator[tuple[int, ShardResult, list[BadRecord]]]:
    """Yield (shard, result, bad records) computed on a Dask cluster, in shard order."""
    with dask_cluster(settings, workers, scheduler) as run:
        yield from run(pending)


@contextmanager
def dask_cluster(settings: PipelineSettings, workers: int, scheduler: str | None) -> Iterator[Callable[[Iterator[Shard]], Iterator[Done]]]:
    """Connect to the scheduler (or start a LocalCluster) and check its workers, then yield the function that
    runs shards there (as :func:`run_on_dask`). The runner enters it before it replaces an output, so that a
    cluster that cannot work stops the command with the old output intact.

    With a scheduler: it must answer as a Dask scheduler within :data:`PATIENCE` seconds, have a worker within
    as long, and each worker must import this medtext and find the same pipeline (E204, E206, E042).
    """
    import_distributed()
    from dask.distributed import Client

    from medtext.batch.signature import expected_signature

    silence_distributed_logs()
    # Before a LocalCluster forks: its workers inherit the hashed resources instead of each hashing them.
    here = expected_signature(settings)
    cluster = None
    if scheduler:
        client = connect(scheduler)
    else:
        try:
            cluster = local_cluster(settings, workers)
            # results come from the workers' sockets straight to this client, not through the scheduler (in
            # this process too: it received each result and sent it on)
            client = Client(cluster, direct_to_workers=True)
        except OSError as err:
            raise InputError(Errors.E007.format(path="LocalCluster", detail=f"cannot reach the Dask scheduler ({type(err).__name__})")) from None
    try:
        _drop_client_loop_noise(client)
        if scheduler:
            check_workers(client, scheduler, settings, here)
        yield lambda pending: _results(client, pending, settings, here, shared=bool(scheduler))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _results(client: Any, pending: Iterator[Shard], settings: PipelineSettings, here: Signature, shared: bool) -> Iterator[Done]:
    """The run itself: tasks submitted, results gathered (see :func:`gather`) in shard order."""
    n_slots = max(1, sum(client.nthreads().values()))
    # On a scheduler's cluster the user files travel as bytes, sent once to every worker: its
    # workers may run on other machines or in other folders, where the paths mean nothing. (A
    # LocalCluster's workers are forks of this process, with its pipeline already built.)
    shared_settings: Any = settings
    if shared and settings.user_files:
        shared_settings = client.scatter(settings.with_contents(), broadcast=True, hash=False)
    yield from in_order(
        cut_into_tasks(pending, tail=n_slots * TASK_SIZE),
        lambda tasks: [client.submit(annotate_shard, task, shared_settings, pure=False) for task in tasks],
        lambda futures: gather(client, futures, here),
        2 * n_slots,
    )


def gather(client: Any, futures: list[Any], here: Signature) -> ShardResult:
    """One shard's result, checked to come from the pipeline ``here`` (E042).

    A cluster that stops working is one line, not a hang: the scheduler gone (E205), no worker left for
    :data:`PATIENCE` seconds (E205: tasks would wait for one forever), a task that killed its workers (E041).
    """
    from distributed import KilledWorker

    try:
        _wait_while_workers(client, futures)
        result = ShardResult.join(client.gather(futures))
    except KilledWorker:
        raise MedtextError(Errors.E041) from None
    except (CancelledError, OSError, TimeoutError) as err:
        raise MedtextError(Errors.E205.format(detail=f"lost the connection to the scheduler, {type(err).__name__}")) from None
    check_signature(result.pipeline, here)
    return result


def _wait_while_workers(client: Any, futures: list[Any]) -> None:
    """Return when the futures are done; E205 when the cluster has had no worker for :data:`PATIENCE` seconds."""
    import time

    from distributed import wait

    if all(f.done() for f in futures):
        return
    alone_since = None
    while True:
        try:
            wait(futures, timeout=WATCH_INTERVAL)
            return
        except TimeoutError:
            pass
        if client.nthreads():
            alone_since = None
            continue
        alone_since = alone_since or time.monotonic()
        if time.monotonic() - alone_since >= PATIENCE:
            raise MedtextError(Errors.E205.format(detail=f"no worker connected to the scheduler for {PATIENCE:g} s"))


def check_signature(pipeline: tuple[Any, ...], here: Signature) -> None:
    """E042 unless ``pipeline`` (a worker's signature) is ``here``."""
    if tuple(pipeline) == tuple(here):
        return
    # a worker of a medtext that does not sign its results (or signs them without a fingerprint)
    worker_version, worker, worker_files = (tuple(pipeline) + ("(unknown)", ("(unknown)",), "(unknown)")[len(pipeline):])[:3]
    version, names, files = here
    raise MedtextError(Errors.E042.format(worker_version=worker_version, worker=", ".join(worker), worker_files=worker_files,
                                          version=version, here=", ".join(names), files=files))


def check_scheduler_address(address: str) -> None:
    """E011 unless ``address`` is one dask.distributed can connect to (``tcp://host:port``; no scheme: tcp).

    Example:
        >>> check_scheduler_address("tcp://127.0.0.1:8786")
    """
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    expected = "a Dask scheduler address, tcp://host:port"
    try:
        scheme, location = parse_address(address)
        get_backend(scheme)
        if scheme in ("tcp", "tls", "ws", "wss"):
            _, port = parse_host_port(location)
            if not 0 < int(port) < 65536:
                raise ValueError(port)
    except (ValueError, TypeError):
        raise MedtextError(Errors.E011.format(option="--scheduler", expected=expected, found=repr(address))) from None


def connect(address: str) -> Any:
    """A client of the scheduler at ``address``; E204 when nothing there answers as one within :data:`PATIENCE` s.

    distributed's own timeout covers opening the connection, not the handshake after it: a port where
    something else listens (a web server) kept the run waiting for ever. The handshake is tried first,
    with a deadline.
    """
    from dask.distributed import Client

    error = _handshake(address, PATIENCE)
    if error is not None:
        raise InputError(Errors.E204.format(address=address, detail=error))
    try:
        return Client(address, timeout=f"{PATIENCE:g}s")
    except (OSError, TimeoutError, ValueError) as err:
        raise InputError(Errors.E204.format(address=address, detail=f"it did not answer as a Dask scheduler ({type(err).__name__})")) from None


def _handshake(address: str, seconds: float) -> str | None:
    """Why distributed's handshake with ``address`` failed within ``seconds`` (None: it worked).

    Run on an event loop of its own in a thread, so that it works whatever the caller's thread runs.
    """
    import threading

    from distributed.comm import connect as open_comm

    outcome: list[str | None] = [f"no answer within {seconds:g} s"]

    async def handshake() -> None:
        comm = await open_comm(address, timeout=seconds)
        await comm.close()

    def probe() -> None:
        try:
            # (a little longer than the connection's own timeout, so that a refused one says so)
            asyncio.run(asyncio.wait_for(handshake(), seconds + 2))
            outcome[0] = None
        except (asyncio.TimeoutError, TimeoutError):
            outcome[0] = f"something listens there but did not answer as a Dask scheduler within {seconds + 2:g} s"
        except OSError as err:
            outcome[0] = f"no Dask scheduler answered there within {seconds:g} s ({_connection_failure(err)})"
        except Exception as err:  # noqa: BLE001 - e.g. a server that answers in another protocol
            outcome[0] = f"something answered there, but not as a Dask scheduler ({type(err).__name__})"

    thread = threading.Thread(target=probe, name="medtext-scheduler-handshake", daemon=True)
    thread.start()
    thread.join(seconds + 7)
    return outcome[0]


def _connection_failure(err: BaseException) -> str:
    """What distributed's failed connection attempts met, in words (the causes it chains).

    Example:
        >>> _connection_failure(OSError("timed out"))
        'no connection'
    """
    import socket

    seen: list[BaseException] = []
    while err is not None and err not in seen:
        seen.append(err)
        err = err.__cause__ or err.__context__
    if any(isinstance(e, socket.gaierror) for e in seen):
        return "unknown host name"
    if any(isinstance(e, ConnectionRefusedError) or "ConnectionRefusedError" in str(e) for e in seen):
        return "connection refused: nothing listens on that port"
    return "no connection"


def check_workers(client: Any, address: str, settings: PipelineSettings, here: Signature) -> None:
    """Before any output is written: the cluster has a worker (E204), and every worker imports this
    medtext (E206) and finds the pipeline this machine would run (E042)."""
    from medtext.batch.signature import expected_signature

    try:
        client.wait_for_workers(1, timeout=PATIENCE)
    except TimeoutError:
        raise InputError(Errors.E204.format(address=address, detail=f"no worker connected to it within {PATIENCE:g} s")) from None
    except OSError as err:
        raise MedtextError(Errors.E205.format(detail=f"lost the connection to the scheduler, {type(err).__name__}")) from None
    # A worker that cannot unpickle medtext's function answers with the error (it stays up); the others with
    # their signature, computed without building the pipeline (the first task builds it).
    for worker, answer in sorted(client.run(expected_signature, settings, on_error="return").items()):
        if isinstance(answer, BaseException):
            raise MedtextError(Errors.E206.format(worker=worker, detail=_exception_line(answer)))
        check_signature(answer, here)


def _exception_line(err: BaseException) -> str:
    """``Type: message`` of a worker's exception, with distributed's wrapping taken off, on one line."""
    text = str(err)
    if type(err) is Exception and "(" in text and text.endswith(")"):  # Exception('ModuleNotFoundError("...")')
        text = text.replace("(", ": ", 1)[:-1]
    else:
        text = f"{type(err).__name__}: {text}"
    return " ".join(text.split())


def silence_distributed_logs() -> None:
    """distributed's loggers (and tornado's, which it configures) print nothing below CRITICAL, the child loggers
    distributed gives their own level and handler included (``distributed.client`` printed a traceback when
    the scheduler went away)."""
    import logging

    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(QUIET)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if name.startswith(("distributed.", "tornado.")) and isinstance(logger, logging.Logger) and logger.level:
            logger.setLevel(max(logger.level, QUIET))


def _drop_client_loop_noise(client: Any) -> None:
    """The client's event loop drops the errors of distributed's own tasks it cannot report to anyone (Ctrl-C
    during a gather printed "Task exception was never retrieved" and a traceback for ``AllExit``)."""
    loop = getattr(getattr(client, "loop", None), "asyncio_loop", None)
    if loop is None:
        return

    def handler(event_loop: Any, context: dict[str, Any]) -> None:
        exception = context.get("exception")
        if exception is not None and type(exception).__module__.startswith(("distributed", "tornado", "asyncio")):
            return
        if isinstance(exception, (CancelledError, asyncio.CancelledError, OSError)):
            return
        event_loop.default_exception_handler(context)

    loop.call_soon_threadsafe(loop.set_exception_handler, handler)


def import_distributed() -> None:
    """Import dask.distributed (first time only) with the cyclic garbage collector paused, then freeze what
    the import made (``gc.freeze``), and its YAML configuration files read with libyaml's parser.

    As the command line does with the pipeline's modules: the import's objects live as long as the process,
    and collections would only walk them. dask and distributed read their default settings with
    ``yaml.safe_load``, whose pure-Python parser took 17 ms of the import; libyaml's gives the same settings.
    Importing and building the rule pipeline took 0.04 s less CPU with the collector paused and the objects
    frozen (median of 12 runs each: 0.47 s against 0.51 s), and libyaml another 0.02 s (0.13 s against 0.15 s
    for the import alone): 0.06 s less before a LocalCluster's workers fork.

    Example:
        >>> import_distributed()  # doctest: +SKIP
    """
    import gc
    import sys

    if "distributed.client" in sys.modules:
        return
    with collector_paused(), yaml_read_by_libyaml():
        import dask.distributed  # noqa: F401

        gc.freeze()


@contextmanager
def yaml_read_by_libyaml() -> Iterator[None]:
    """``yaml.safe_load`` parses with libyaml inside the block (unchanged where PyYAML was built without it).

    Example:
        >>> import yaml
        >>> with yaml_read_by_libyaml():
        ...     yaml.safe_load("a: [1, 2]")
        {'a': [1, 2]}
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        yield
        return
    safe_load = yaml.safe_load
    yaml.safe_load = lambda stream: yaml.load(stream, Loader=loader)  # noqa: S506 - the safe loader, in C
    try:
        yield
    finally:
        yaml.safe_load = safe_load


def local_cluster(settings: PipelineSettings, workers: int) -> Any:
    """A LocalCluster of ``workers`` one-thread processes forked from this one after its pipeline is built.

    Its servers run with :data:`LOCAL_CLUSTER_CONFIG`. The caller closes it.
    """
    import dask
    from dask.distributed import LocalCluster
    from distributed.versions import get_versions

    from medtext.batch.worker import get_pipeline, start_method

    get_pipeline(settings)  # inherited by the forked workers
    # Each worker sends the versions of its packages when it registers, and the scheduler (here) compares
    # them with its own: looked up once here (cached), the forks inherit them instead of each spending
    # ~25 ms on package metadata while the cluster starts.
    get_versions()
    with dask.config.set({"distributed.worker.multiprocessing-method": start_method(), **LOCAL_CLUSTER_CONFIG}), nannies_polling(NANNY_POLL_INTERVAL):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=QUIET)


@contextmanager
def nannies_polling(interval: float) -> Iterator[None]:
    """Nannies started inside the block look every ``interval`` seconds for their worker's start message
    (distributed's ``WorkerProcess._init_msg_interval``; left alone where a version of distributed lacks it).

    Example:
        >>> with nannies_polling(0.005):
        ...     pass
    """
    from distributed.nanny import WorkerProcess

    before = getattr(WorkerProcess, "_init_msg_interval", None)
    if not isinstance(before, (int, float)):
        yield
        return
    WorkerProcess._init_msg_interval = interval
    try:
        yield
    finally:
        WorkerProcess._init_msg_interval = before
