"""Task log files for the tasks of an in-process night, where Airflow's UI and REST API read them.

`dag.test()` (`citylake nightly`) runs every task in this process (Airflow's
`InProcessTestSupervisor`), and a task's log then goes to this process's stdout only: nothing is
written under `[logging] base_log_folder`, so the UI's Logs tab says "Log file not found". When the
scheduler runs a task, its supervisor writes the log to `base_log_folder/<log_filename_template>`
as JSON lines. `capture()` does the same for in-process tasks: an Airflow listener opens the task's
file when the task starts running and closes it when the task ends; in between, every log event of
this process (structlog and standard `logging`) is also written to that file, through Airflow's
own JSON log processors — the format the UI reads.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path

import structlog


class _TaskLog:
    """The log file of the task running now (at most one: dag.test() runs tasks one at a time)."""

    def __init__(self) -> None:
        self.logger = None
        self.file = None

    def open(self, ti) -> Path:
        from airflow.sdk.log import init_log_file, logging_processors
        from airflow.utils.helpers import log_filename_template_renderer

        self.close()
        path = init_log_file(log_filename_template_renderer()(ti=ti, try_number=ti.try_number))
        self.file = path.open("ab")
        self.logger = structlog.wrap_logger(structlog.BytesLogger(self.file),
                                            processors=list(logging_processors(json_output=True)),
                                            logger_name="task")
        return path

    def close(self) -> None:
        if self.file:
            self.file.close()
        self.logger = self.file = None

    def write(self, method_name: str, event_dict: dict) -> None:
        if self.logger is not None:
            getattr(self.logger, method_name, self.logger.info)(**event_dict)


TASK_LOG = _TaskLog()


def _listener():
    """An Airflow listener that opens a task's log file when it starts running and closes it when it
    ends. (Built on call: importing Airflow before `airflow_env.apply()` would bind it to the
    wrong AIRFLOW_HOME.)"""
    from airflow.listeners import hookimpl

    class Listener:
        @hookimpl
        def on_task_instance_running(self, previous_state, task_instance):
            TASK_LOG.open(task_instance)

        @hookimpl
        def on_task_instance_success(self, previous_state, task_instance):
            TASK_LOG.close()

        @hookimpl
        def on_task_instance_failed(self, previous_state, task_instance, error):
            TASK_LOG.close()

        @hookimpl
        def on_task_instance_skipped(self, previous_state, task_instance):
            TASK_LOG.close()

    return Listener()


def _tee(logger, method_name: str, event_dict: dict) -> dict:
    """structlog processor: a copy of every event to the running task's log file."""
    TASK_LOG.write(method_name, dict(event_dict))
    return event_dict


class _StdlibTee(logging.Handler):
    """The same for records of standard `logging` (dbt, cosmos, citylake's own loggers)."""

    def emit(self, record: logging.LogRecord) -> None:
        level = logging.getLevelName(record.levelno).lower()
        TASK_LOG.write(level, {"event": record.getMessage(), "logger": record.name,
                               **({"exc_info": record.exc_info} if record.exc_info else {})})


@contextmanager
def capture():
    """Write the log of every task run in this process while inside, as a supervised task would."""
    from airflow.sdk.listener import get_listener_manager

    manager, listener, handler = get_listener_manager(), _listener(), _StdlibTee()
    processors = structlog.get_config()["processors"]
    structlog.configure(processors=[_tee, *processors])
    manager.add_listener(listener)
    logging.getLogger().addHandler(handler)
    try:
        yield
    finally:
        logging.getLogger().removeHandler(handler)
        manager.pm.unregister(listener)
        structlog.configure(processors=processors)
        TASK_LOG.close()
