"""Request metrics in the Prometheus text exposition format (version 0.0.4), without a client library.

Three families: a request counter by method, route template and status; a latency histogram by
route template; and gauges read when scraped (catalogue size), supplied by the app. Route
templates (``/api/v1/software/{record_id:path}``) keep label cardinality bounded.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Mapping

BUCKETS: tuple[float, ...] = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


class Metrics:
    """Thread-safe counters for the app; `render` writes the exposition text."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self._bucket_counts: dict[str, list[int]] = {}
        self._sums: dict[str, float] = defaultdict(float)
        self._counts: dict[str, int] = defaultdict(int)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one finished request and its duration."""
        with self._lock:
            self._requests[(method, route, status)] += 1
            buckets = self._bucket_counts.setdefault(route, [0] * len(BUCKETS))
            for index, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    buckets[index] += 1
            self._sums[route] += seconds
            self._counts[route] += 1

    def render(
        self,
        gauges: Mapping[str, tuple[str, float]] | None = None,
        cache: Mapping[str, tuple[int, int]] | None = None,
    ) -> str:
        """The exposition text; `gauges` maps a metric name to (help, value), `cache` a kind
        of kept answer to its (hits, misses) (`api.cache.ChangeCache.counts`)."""
        lines = [
            "# HELP codereuse_http_requests_total HTTP requests answered, by method, route and status.",
            "# TYPE codereuse_http_requests_total counter",
        ]
        with self._lock:
            for (method, route, status), count in sorted(self._requests.items()):
                lines.append(
                    f'codereuse_http_requests_total{{method="{_label(method)}",route="{_label(route)}",status="{status}"}} {count}'
                )
            lines += [
                "# HELP codereuse_http_request_duration_seconds Time to answer, by route.",
                "# TYPE codereuse_http_request_duration_seconds histogram",
            ]
            for route, buckets in sorted(self._bucket_counts.items()):
                name = _label(route)
                for bound, count in zip(BUCKETS, buckets, strict=True):
                    lines.append(
                        f'codereuse_http_request_duration_seconds_bucket{{route="{name}",le="{bound}"}} {count}'
                    )
                lines.append(
                    f'codereuse_http_request_duration_seconds_bucket{{route="{name}",le="+Inf"}} {self._counts[route]}'
                )
                lines.append(
                    f'codereuse_http_request_duration_seconds_sum{{route="{name}"}} {_number(self._sums[route])}'
                )
                lines.append(
                    f'codereuse_http_request_duration_seconds_count{{route="{name}"}} {self._counts[route]}'
                )
        if cache:
            lines += [
                "# HELP codereuse_cache_lookups_total Answers looked up among those this process "
                "keeps per catalogue state, by kind and result (hit: kept, miss: computed).",
                "# TYPE codereuse_cache_lookups_total counter",
            ]
            for kind, counts in sorted(cache.items()):
                for result, count in zip(("hit", "miss"), counts, strict=True):
                    lines.append(
                        f'codereuse_cache_lookups_total{{kind="{_label(kind)}",result="{result}"}} {count}'
                    )
        for metric, (help_text, value) in sorted((gauges or {}).items()):
            lines += [
                f"# HELP {metric} {help_text}",
                f"# TYPE {metric} gauge",
                f"{metric} {_number(value)}",
            ]
        return "\n".join(lines) + "\n"


GaugeReader = Callable[[], Mapping[str, tuple[str, float]]]
