"""django-import-export's Resource.export() of the exported columns, measured.

Run by the harness as its own process (python -m bench.iie_export OUT
[MAX_ID]), so its peak memory is its own; with MAX_ID only the exported members
up to that id (the harness's row cap at sizes where a full run does not fit in
the time budget). Prints one JSON line with the times (export() and
Dataset.csv), the row count and the process's resident memory before the
export and at its peak (VmRSS, VmHWM from /proc/self/status).
"""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def _status_kb(name: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return 0


def main(out_path: str, max_id: int | None = None) -> dict:
    import django

    django.setup()
    import import_export
    from django.db import connection

    from bench.contenders import iie_resource_class
    from registry.export import CSV_BOM

    resource = iie_resource_class()()
    queryset = resource.get_queryset()
    if max_id is not None:
        queryset = queryset.filter(pk__lte=max_id)
    connection.ensure_connection()
    rss_before_kb = _status_kb("VmRSS")
    started = time.perf_counter()
    dataset = resource.export(queryset)
    exported = time.perf_counter()
    text = dataset.csv
    serialised = time.perf_counter()
    with open(out_path, "w", encoding="utf-8", newline="") as out:
        out.write(CSV_BOM)
        out.write(text)
    finished = time.perf_counter()
    return {
        "version": import_export.__version__,
        "rows": len(dataset),
        "export_s": exported - started,
        "csv_s": serialised - exported,
        "write_s": finished - serialised,
        "seconds": serialised - started,
        "bytes": len(text.encode("utf-8")) + len(CSV_BOM.encode("utf-8")),
        "rss_before_kb": rss_before_kb,
        "rss_peak_kb": _status_kb("VmHWM"),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else None)))
