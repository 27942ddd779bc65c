"""Publishing a plan to a real target: the suite every target passes, run against an .ics file
makertime owns and a CalDAV calendar on a real Radicale. What a target itself must do is tested
here: create, update in place and delete with ETags, the person's moves and deletions read
back, a write refused because the event changed or appeared meanwhile (412), and a write sent
again after its answer was lost. The algorithm alone is tested over a calendar in memory
(``tests/unit/test_publish*.py``).
"""

from __future__ import annotations

from tests.support.publish_suite import (  # noqa: F401  (collected here, run on each place)
    test_a_block_the_person_deleted_is_not_created_again,
    test_a_block_the_person_moved_is_kept_and_never_overwritten,
    test_a_block_the_plan_moved_is_updated_in_place,
    test_a_create_that_another_run_made_meanwhile_is_not_duplicated,
    test_a_first_publish_creates_every_block,
    test_a_move_between_read_and_delete_is_kept,
    test_a_plan_change_writes_only_the_difference,
    test_a_write_whose_answer_was_lost_is_neither_doubled_nor_taken_for_the_persons,
    test_publishing_the_same_blocks_twice_writes_nothing,
)
