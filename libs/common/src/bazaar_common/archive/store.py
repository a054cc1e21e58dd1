"""The archive bucket: write a batch once, list and read batches back.

Over an aiobotocore S3 client (``open_archive_store``), the same code
against S3 in AWS and the moto server locally.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import AsyncExitStack
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from bazaar_common.archive import layout
from bazaar_common.archive.records import ArchivedEvent, decode_batch, encode_batch
from bazaar_common.messaging.aws import open_client, open_operator_client
from bazaar_common.settings import ServiceSettings

logger = logging.getLogger("bazaar.archive")


class ArchiveStore:
    def __init__(self, s3_client: Any, bucket: str) -> None:
        self._s3 = s3_client
        self.bucket = bucket

    async def put_batch(self, key: str, events: Iterable[ArchivedEvent]) -> bool:
        """Write a batch under ``key`` unless an object is there; False when it was.

        ``If-None-Match: *`` makes S3 refuse the write (412) when the key
        exists: a batch written again after a crash leaves the first copy,
        which holds the same events (a batch's key and events are fixed when
        it is claimed).
        """
        if not layout.is_batch_key(key):
            raise ValueError(f"not an archive batch key: {key!r}")
        try:
            await self._s3.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=encode_batch(events),
                ContentType="application/x-ndjson",
                ContentEncoding="gzip",
                IfNoneMatch="*",
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"PreconditionFailed", "412"}:
                return False
            raise
        return True

    async def batch_keys(self, prefix: str = layout.PREFIX) -> AsyncIterator[str]:
        """Every batch key under ``prefix``, in key order."""
        paginator = self._s3.get_paginator("list_objects_v2")
        async for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                if layout.is_batch_key(item["Key"]):
                    yield item["Key"]

    async def read(self, key: str) -> list[ArchivedEvent]:
        answer = await self._s3.get_object(Bucket=self.bucket, Key=key)
        async with answer["Body"] as body:
            return decode_batch(await body.read(), key=key)

    async def events(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        types: Iterable[str] | None = None,
    ) -> AsyncIterator[ArchivedEvent]:
        """Every archived event timed in [since, until) of ``types``, each once.

        One partition (a day and a type) at a time, in (time, id) order
        within it: an event lies in one partition only, so that is where a
        second copy would be (written again under a new key after a database
        restore) and where it is skipped.
        """
        wanted = sorted(set(types)) if types is not None else None
        async for prefix in self._partitions(since, until, wanted):
            batch: dict[str, ArchivedEvent] = {}
            async for key in self.batch_keys(prefix):
                for event in await self.read(key):
                    batch.setdefault(str(event.envelope.id), event)
            for event in sorted(batch.values(), key=lambda event: event.sort_key):
                if since is not None and event.envelope.time < since:
                    continue
                if until is not None and event.envelope.time >= until:
                    continue
                yield event

    async def _partitions(
        self, since: datetime | None, until: datetime | None, types: list[str] | None
    ) -> AsyncIterator[str]:
        if since is not None and until is not None:
            days = [layout.day_prefix(day) for day in layout.days_between(since, until)]
        else:
            days = [
                prefix
                async for prefix in self._folders(layout.PREFIX)
                if _within(prefix, since, until)
            ]
        for day in days:
            async for partition in self._folders(day):
                if types is None or partition.rsplit("type=", 1)[-1].rstrip("/") in types:
                    yield partition

    async def _folders(self, prefix: str) -> AsyncIterator[str]:
        paginator = self._s3.get_paginator("list_objects_v2")
        async for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix, Delimiter="/"):
            for folder in page.get("CommonPrefixes", []):
                yield folder["Prefix"]


def _within(day_folder: str, since: datetime | None, until: datetime | None) -> bool:
    """Whether a ``events/date=…/`` folder can hold events timed in [since, until)."""
    day = datetime.fromisoformat(day_folder.removeprefix(layout.PREFIX)[5:15]).date()
    if since is not None and day < layout.day_of(since):
        return False
    return until is None or day <= layout.day_of(until)


async def archive_store_from_environment(bucket: str, stack: AsyncExitStack) -> ArchiveStore:
    """For a command an operator runs: endpoint, region and credentials from the AWS variables."""
    return ArchiveStore(await open_operator_client("s3", stack), bucket)


async def open_archive_store(
    settings: ServiceSettings, bucket: str, stack: AsyncExitStack
) -> ArchiveStore:
    """An ``ArchiveStore`` on ``bucket`` whose client closes with ``stack``."""
    return ArchiveStore(await open_client("s3", settings, stack), bucket)
