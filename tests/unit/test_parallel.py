"""``ordered_map``: results in order, a bounded number pending, leftover work run while workers read."""

from b2b_cabinet.sync import parallel


class _Result:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


class _Pool:
    """Runs each task when it is handed out, and records how many were handed out but not yet taken."""

    def __init__(self):
        self.handed = 0
        self.taken = 0
        self.most_pending = 0

    def apply_async(self, function, args):
        self.handed += 1
        self.most_pending = max(self.most_pending, self.handed - self.taken)
        pool = self

        class Tracked(_Result):
            def get(self):
                pool.taken += 1
                return super().get()

        return Tracked(function(*args))


def test_results_come_in_order_with_at_most_a_window_pending():
    pool = _Pool()
    assert list(parallel.ordered_map(pool, lambda x: x * 2, range(50))) == [x * 2 for x in range(50)]
    assert pool.most_pending == parallel.WINDOW


def test_leftover_work_runs_once_the_first_items_are_handed_out_then_pending_drains_to_the_window():
    pool = _Pool()
    calls = []
    results = parallel.ordered_map(pool, lambda x: x, range(40), before=lambda: calls.append(pool.handed), ahead=10)

    assert next(results) == 0
    assert calls == [10]  # handed out first, so the workers read while it ran
    pending_after = []
    for _value in results:
        pending_after.append(pool.handed - pool.taken)
    assert pool.most_pending == 10
    assert max(pending_after[10:]) <= parallel.WINDOW


def test_without_a_pool_leftover_work_runs_before_the_first_item():
    order = []
    results = parallel.ordered_map(None, order.append, [1, 2], before=lambda: order.append("before"))
    list(results)
    assert order == ["before", 1, 2]
