"""The publish algorithm as a state machine (hypothesis): plans published to a calendar in
memory through a store on SQLite, while the person moves, edits, deletes and copies blocks and
adds events of their own, some publishes killed after a few writes, others going through a
server that refuses (412), fails (503) or loses the answer to a write.

After every publish that ends cleanly:

- every block of the plan is on the calendar exactly once (no UID twice), unless the person
  deleted it;
- a block the person deleted is never created again, and one they moved is never moved back
  (nor deleted);
- every event that is not makertime's is byte for byte what the person wrote;
- nothing makertime wrote is left that the plan no longer has, unless the person moved it;
- the store records exactly makertime's events on the calendar, with no intention left.

The person deletes and moves only events makertime knows (recorded, and no deletion of its own
pending on them): a block counts as the person's deletion only when makertime saw it and then
saw it gone.
"""

from __future__ import annotations

import shutil
from contextlib import suppress
from datetime import timedelta
from pathlib import Path
from tempfile import mkdtemp

import icalendar
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from makertime.calendars.base import RemoteEvent
from makertime.calendars.memory import MemoryCalendar
from makertime.errors import ServerError
from makertime.model import Interval
from makertime.plan.result import Block, BlockKind
from makertime.publish.journalled import known
from tests.support.publish import (
    DENTIST,
    Crash,
    MemoryPlace,
    Watched,
    assert_settled,
    block,
    put,
    shifted,
    sqlite_store,
)

# blocks a plan may hold: some that keep their UID wherever a plan puts them, some that do not
MOVABLE = {key: [block(day, hour, key=key) for hour in hours]
           for key, day, hours in (("kept-a@makertime", 0, (6, 8, 10)),
                                   ("kept-b@makertime", 1, (7, 9, 13)))}
FIXED = [block(0, 13, 30, BlockKind.SYNC_WINDOW, None), block(1, 15), block(2, 9),
         block(2, 9, 60, BlockKind.SHALLOW, "blog"), block(3, 12, 180, BlockKind.REST, None),
         block(4, 8, 90, BlockKind.DEEP, "side-project")]


@st.composite
def plans(draw: st.DrawFn) -> list[Block]:
    """A plan: some of the fixed blocks, and each movable block at one of its times or not."""
    chosen = draw(st.lists(st.sampled_from(FIXED), unique=True))
    for variants in MOVABLE.values():
        where = draw(st.none() | st.sampled_from(variants))
        if where is not None:
            chosen.append(where)
    return chosen


DELTAS = st.sampled_from([timedelta(minutes=m) for m in (-90, -60, -30, 30, 60, 90)])
FAULTS = st.lists(st.sampled_from(["ok", "ok", "412", "503", "drop"]), max_size=4)


class Publishing(RuleBasedStateMachine):
    """One calendar, one store, and what the person did there."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(mkdtemp(prefix="makertime-machine-"))
        self.store = sqlite_store(self.folder)
        self.place = MemoryPlace()
        self.calendar: MemoryCalendar = self.place.calendar
        self.plan: list[Block] = []
        self.theirs: dict[str, str] = {}  # href → what the person wrote (not makertime's)
        self.moved: dict[str, tuple[str, str]] = {}  # UID → href, and the text they left
        self.deleted: set[str] = set()  # UIDs the person deleted
        self.edited: dict[str, tuple[Interval, str]] = {}  # UID → where, and their text
        self.count = 0

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # makertime

    @rule(plan=plans())
    def publish(self, plan: list[Block]) -> None:
        """A publish that ends cleanly."""
        report = put(self.store, self.calendar, plan)
        assert report.failed == ()
        self.plan = plan
        self.check(report.declined)

    @rule(plan=plans(), writes=st.integers(min_value=0, max_value=6))
    def publish_killed(self, plan: list[Block], writes: int) -> None:
        """A publish killed right before its write after ``writes`` writes went through."""
        sent = 0

        def dying(_action: str, _href: str) -> None:
            nonlocal sent
            if sent == writes:
                raise Crash
            sent += 1

        self.calendar.before_write = dying
        try:
            put(self.store, self.calendar, plan)
        except Crash:
            self.edited.clear()  # the killed run may have changed what they edited
        else:
            self.plan = plan
            self.check(())
        finally:
            self.calendar.before_write = None

    @rule(plan=plans(), reads=FAULTS, creates=FAULTS, updates=FAULTS, deletes=FAULTS)
    def publish_through_faults(self, plan: list[Block], reads: list[str], creates: list[str],
                               updates: list[str], deletes: list[str]) -> None:
        """A publish through a server that refuses, fails, or loses answers; checked by the
        next clean publish, as what it could not do it leaves to that one."""
        unconditional = [fault for fault in reads if fault != "412"]  # a read has no If-Match
        flaky = Watched(self.calendar, faults={
            "read": unconditional, "read_event": list(unconditional), "create": creates,
            "update": updates, "delete": deletes})
        with suppress(ServerError):
            put(self.store, flaky, plan)
        self.edited.clear()

    # the person

    @rule(data=st.data(), action=st.sampled_from(["move", "edit", "delete", "copy"]),
          delta=DELTAS)
    def person_acts(self, data: st.DataObject, action: str, delta: timedelta) -> None:
        """The person moves, edits or deletes one of makertime's events that makertime knows,
        or copies one (their copy gets a UID of its own: it is theirs)."""
        events = self.calendar.list().by_uid()
        if action == "copy":
            if events:
                self.copy(events[data.draw(st.sampled_from(sorted(events)))])
            return
        seen = known(self.store.journalled(self.calendar.name))
        choices = sorted(uid for uid in events if uid in seen)
        if not choices:
            return
        event = events[data.draw(st.sampled_from(choices))]
        if action == "move":
            self.move(event, delta)
        elif action == "edit":
            self.edit(event)
        else:
            self.calendar.remove(event.href)
            self.deleted.add(event.uid)
            self.moved.pop(event.uid, None)
            self.edited.pop(event.uid, None)

    def move(self, event: RemoteEvent, delta: timedelta) -> None:
        """Move ``event`` by ``delta``, never back where makertime put it (that is no move)."""
        if (event.span.start + delta, event.span.end + delta) == (
                event.where_planned.start, event.where_planned.end):
            delta = 2 * delta
        text = shifted(event.data, event.uid, delta)
        self.calendar.put(event.href, text)
        self.moved[event.uid] = (event.href, text)
        self.edited.pop(event.uid, None)

    def edit(self, event: RemoteEvent) -> None:
        """Retitle ``event``, leaving it where it is."""
        calendar = icalendar.Calendar.from_ical(event.data)
        for component in calendar.walk("VEVENT"):
            component["SUMMARY"] = f"{component.get('SUMMARY', '')} (mine)"
        text = bytes(calendar.to_ical()).decode()
        self.calendar.put(event.href, text)
        if event.uid in self.moved:
            self.moved[event.uid] = (event.href, text)
        else:
            self.edited[event.uid] = (event.span, text)

    def copy(self, event: RemoteEvent) -> None:
        """Copy ``event`` in a calendar program: a UID of their own."""
        self.count += 1
        text = event.data.replace(event.uid, f"copy-{self.count}@example.com")
        self.calendar.put(f"copy-{self.count}.ics", text)
        self.theirs[f"copy-{self.count}.ics"] = text

    @rule(day=st.integers(min_value=0, max_value=4), hour=st.integers(min_value=6, max_value=17))
    def person_adds_their_own(self, day: int, hour: int) -> None:
        self.count += 1
        text = DENTIST.replace("dentist@example.com", f"own-{self.count}@example.com")
        text = shifted(text, f"own-{self.count}@example.com",
                       timedelta(days=day - 2, hours=hour - 8))
        self.calendar.put(f"own-{self.count}.ics", text)
        self.theirs[f"own-{self.count}.ics"] = text

    # what must hold

    @invariant()
    def the_persons_own_events_are_untouched(self) -> None:
        for href, text in self.theirs.items():
            assert self.calendar.items[href].data == text

    @invariant()
    def the_persons_moves_stay(self) -> None:
        for href, text in self.moved.values():
            assert self.calendar.items[href].data == text

    def check(self, declined: tuple[Block, ...]) -> None:
        """What holds after a publish that ended cleanly."""
        events = assert_settled(self.store, self.calendar)
        planned = {b.uid: b for b in self.plan}
        for uid, wanted in planned.items():
            if uid in self.deleted:
                assert uid not in events, "a block the person deleted was created again"
            else:
                assert uid in events, "a block of the plan is missing"
                if uid not in self.moved:
                    assert events[uid].span == wanted.span
        assert set(events) <= set(planned) | set(self.moved), "a block left over"
        assert {b.uid for b in declined} <= self.deleted
        for uid, (span, text) in list(self.edited.items()):
            if uid in planned and planned[uid].span == span:  # left where they edited it
                assert events[uid].data == text, "the person's edit was overwritten"
            else:
                del self.edited[uid]  # makertime may move or delete it: their edit is no move


Publishing.TestCase.settings = settings(max_examples=10, stateful_step_count=8,
                                        deadline=None,
                                        suppress_health_check=[HealthCheck.too_slow])
TestPublishing = Publishing.TestCase
