"""Bench-only middleware: how many SQL queries a response took."""

import time

from django.db import connection


def query_count_middleware(get_response):
    """Add X-Bench-Queries and X-Bench-SQL-Ms headers to every response.

    Counts with a database execute wrapper, so it works with DEBUG off and adds
    nothing but a counter to each query. A streaming response's rows are read
    after the headers are sent, so for the CSV export the header counts only the
    queries run before the first byte.
    """

    def middleware(request):
        stats = {"count": 0, "seconds": 0.0}

        def counter(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                stats["count"] += 1
                stats["seconds"] += time.perf_counter() - started

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-Bench-Queries"] = str(stats["count"])
        response["X-Bench-SQL-Ms"] = f"{stats['seconds'] * 1000:.1f}"
        return response

    return middleware
