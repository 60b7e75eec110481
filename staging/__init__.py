"""The staging area between crawl and load, and the raw-page archive (see :mod:`staging.layout`).

``staging`` may import ``core`` and ``extract``; never ``warehouse``, ``spiders``, ``alerts`` or
``pantau``. Its public names are re-exported here.
"""

from staging.layout import (
    ARCHIVE_FOLDER,
    ARCHIVE_FORMAT,
    QUARANTINE_FOLDER,
    ArchiveBusy,
    DamagedFile,
    StagedOutlet,
    StagingBusy,
    archive_dir,
    archive_files,
    finished_outlets,
    list_runs,
    read_stats,
    records_path,
    run_dir,
    run_dir_name,
    stats_path,
    week_archive_path,
    week_of,
)
from staging.locks import archive_lock, crawl_lock
from staging.reader import (
    iter_records,
    quarantine,
    quarantine_path,
    read_archive_header,
    read_staged,
    read_typed,
)
from staging.records import BadRecord, ErrorRecord, PageRecord, StagedRecord, parse_record
from staging.writer import ArchiveWriter, StagingWriter, fsync_dir, part_path_for, write_stats

__all__ = [
    "ARCHIVE_FOLDER", "ARCHIVE_FORMAT", "QUARANTINE_FOLDER", "ArchiveBusy", "ArchiveWriter",
    "BadRecord", "DamagedFile", "ErrorRecord", "PageRecord", "StagedOutlet", "StagedRecord",
    "StagingBusy", "StagingWriter", "archive_dir", "archive_files", "archive_lock", "crawl_lock",
    "finished_outlets", "fsync_dir", "iter_records", "list_runs", "parse_record", "part_path_for",
    "quarantine", "quarantine_path", "read_archive_header", "read_staged", "read_stats",
    "read_typed", "records_path", "run_dir", "run_dir_name", "stats_path", "week_archive_path",
    "week_of", "write_stats",
]
