"""What can go wrong, in four kinds, each with its own exit status.

    BadInput            an input cannot be read or holds no article      exit 1
    ConfigurationError  the command line, a path or a setting is wrong   exit 2
    DatabaseError       the database refused or cannot be reached        exit 3
    Bug                 an unexpected exception: a defect to report      exit 4

Inside a batch, bad input and a bug in one input are not raised: they become a
`Rejection` of that input (a bug's carries its traceback) and the rest of
the batch goes on; the command then exits 1. The CLI maps everything that
escapes a command to one of these kinds and prints one line (`--debug` adds
the traceback).
"""
from __future__ import annotations

import traceback

from etl.patterns import DataFileError
from etl.records import Rejection
from vocab import VocabularyError

# Broken data files are a configuration error of the whole run, not of one input.
CONFIGURATION_ERRORS: tuple[type[Exception], ...] = (DataFileError, VocabularyError)


class RadarError(Exception):
    """Base of the errors the command line reports as one line."""

    exit_status = 2


class BadInput(RadarError):
    """An input that cannot be read or holds no article."""

    exit_status = 1


class ConfigurationError(RadarError):
    """The command line, an output path or a setting (database URL, installed modules) is wrong."""

    exit_status = 2


class DatabaseError(RadarError):
    """The database refused a statement or cannot be reached."""

    exit_status = 3


class Bug(RadarError):
    """An unexpected exception: a defect in Policy Radar, not in the input."""

    exit_status = 4


def describe(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def rejection_for(exc: Exception, source: str, source_hash: str, stage: str) -> Rejection:
    """The rejection of one input when `stage` (reading, cleaning, extracting,
    storing) raised: a missing module is configuration, anything else a bug;
    either way it names the input and costs only that input. A broken data file
    is re-raised: it would fail every input, so it stops the run as a configuration error."""
    if isinstance(exc, CONFIGURATION_ERRORS):
        raise exc
    if isinstance(exc, ImportError):
        reason = f"cannot be read while {stage}: a required module is missing ({describe(exc)}); install requirements.txt"
        return Rejection(source, reason, source_hash)
    reason = f"bug while {stage} ({describe(exc)}); please report it, --debug shows the traceback"
    return Rejection(source, reason, source_hash, detail=traceback.format_exc())
