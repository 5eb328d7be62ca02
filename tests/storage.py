"""Uploads in the local S3 server (the ``s3_server`` fixture), as production stores them."""


def s3_storages(storages: dict, s3_server: dict) -> dict:
    """``storages`` (settings.STORAGES) with uploads in ``s3_server``'s bucket."""
    return {**storages, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": s3_server["S3_BUCKET"], "endpoint_url": s3_server["S3_ENDPOINT_URL"],
            "region_name": s3_server["S3_REGION"], "access_key": s3_server["S3_ACCESS_KEY_ID"],
            "secret_key": s3_server["S3_SECRET_ACCESS_KEY"], "querystring_auth": False,
            "file_overwrite": False,  # as production's: a name is never written twice
        },
    }}
