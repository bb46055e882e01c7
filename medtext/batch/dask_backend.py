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
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from medtext.batch.job import PipelineSettings
from medtext.batch.tasks import cut_into_tasks
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


def run_on_dask(
    pending: Iterator[tuple[int, list[Any], list[BadRecord]]],
    settings: PipelineSettings,
    workers: int,
    scheduler: str | None,
) -> Iterator[tuple[int, ShardResult, list[BadRecord]]]:
    """Yield (shard, result, bad records) computed on a Dask cluster, in shard order."""
    import_distributed()
    from dask.distributed import Client

    from medtext.batch.signature import expected_signature

    logging.getLogger("distributed").setLevel(QUIET)
    # Before a LocalCluster forks: its workers inherit the hashed resources instead of each hashing them.
    here = expected_signature(settings)
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
        else:
            cluster = local_cluster(settings, workers)
            # results come from the workers' sockets straight to this client, not through the scheduler (in
            # this process too: it received each result and sent it on)
            client = Client(cluster, direct_to_workers=True)
    except OSError as err:
        raise InputError(Errors.E007.format(path=scheduler or "LocalCluster", detail=f"cannot reach the Dask scheduler ({type(err).__name__})")) from None
    try:
        n_slots = max(1, sum(client.nthreads().values()))
        # On a scheduler's cluster the user files travel as bytes, sent once to every worker: its
        # workers may run on other machines or in other folders, where the paths mean nothing. (A
        # LocalCluster's workers are forks of this process, with its pipeline already built.)
        shared_settings = settings
        if scheduler and settings.user_files:
            shared_settings = client.scatter(settings.with_contents(), broadcast=True, hash=False)

        def gather(futures: list[Any]) -> ShardResult:
            result = ShardResult.join(client.gather(futures))
            if result.pipeline != here:
                # a worker of a medtext that does not sign its results (or signs them without a fingerprint)
                worker_version, worker, worker_files = (tuple(result.pipeline) + ("(unknown)", ("(unknown)",), "(unknown)")[len(result.pipeline):])[:3]
                version, names, files = here
                raise MedtextError(Errors.E042.format(worker_version=worker_version, worker=", ".join(worker), worker_files=worker_files,
                                                      version=version, here=", ".join(names), files=files))
            return result

        yield from in_order(
            cut_into_tasks(pending, tail=n_slots * TASK_SIZE),
            lambda tasks: [client.submit(annotate_shard, task, shared_settings, pure=False) for task in tasks],
            gather,
            2 * n_slots,
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


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
