"""Publishing: making a calendar hold exactly a plan's blocks, safely.

Over any calendar backend (``makertime.calendars``): what is makertime's own, the person's
edits, the journal that makes a publish safe to interrupt, conditional writes and crash recovery.

- ``sync``: the algorithm, over a ``PublishTarget`` and a ``PublishJournal``;
- ``journalled``: a publish through the store (what its journal knows of the target);
- ``edits``: what the person moved or deleted on the target, read against that record;
- ``lock``: one publish at a time per store and target;
- ``events``, ``report``, ``retry``: the iCalendar text of a block, what a publish did, and
  requests that failed for a passing reason sent again.
"""
