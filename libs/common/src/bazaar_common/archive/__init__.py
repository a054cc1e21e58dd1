"""The event archive: every event of every service, kept in S3 for good.

The audit service writes it (docs/adr/0021): each event it stores is queued
in its database in the same transaction, and written in batches as gzipped
JSON lines under ``events/date=YYYY-MM-DD/type=<Type>/<first id>.jsonl.gz``
(the date of the event's time, UTC). A batch's key and bytes are fixed when
it is claimed, and ``PutObject`` carries ``If-None-Match: *``: a batch
written again after a crash finds its object already there, so an event is
archived once. In AWS the bucket has object lock: nothing archived can be
changed or deleted before its retention ends.

Readers (``ArchiveStore.events``) take the archive as the source to rebuild
from: the audit store (``bazaar_audit.rebuild``), a read model, or one
consumer's queue (``bazaar_common.archive.replay``).
"""
