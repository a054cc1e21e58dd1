"""The archive bucket's name, and creating it on the local emulator.

In AWS, Terraform's ``event-archive`` module makes the bucket (object lock
with a default retention, KMS, lifecycle) and gives the audit task its name.
Locally the bootstrap makes it with object lock on, without a default
retention, so a local stack can be thrown away.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

BUCKET_NAME_PATTERN = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
"""An S3 bucket name, for the settings that name the archive's bucket."""


def archive_bucket_name(prefix: str) -> str:
    return f"{prefix}-event-archive"


async def ensure_archive_bucket(s3_client: Any, bucket: str, region: str) -> None:
    """Create the bucket with object lock (and so versioning) on; nothing when it exists."""
    # us-east-1 is S3's default region, which refuses to be named as a constraint.
    location = {} if region == "us-east-1" else {"LocationConstraint": region}
    try:
        await s3_client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration=location, ObjectLockEnabledForBucket=True
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "BucketAlreadyOwnedByYou":
            raise
