"""Publishing: making a calendar hold exactly a plan's blocks, safely.

Over any calendar backend (``makertime.calendars``): what is makertime's own, the person's
edits, the journal that makes a publish safe to interrupt, conditional writes and crash recovery.
"""
