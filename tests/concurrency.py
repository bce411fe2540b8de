"""Run callables at the same moment, each in its own thread with its own database connection.

A barrier releases them together, so they really race for the same row: without a row lock or a
re-check under it, both would win. Each thread closes its connection when done."""

import threading

from django.db import connection


def at_once(*calls, timeout: float = 30) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = []

    def run(index, call):
        try:
            barrier.wait(timeout)
            results[index] = call()
        except Exception as error:  # re-raised in the test's thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    return results
