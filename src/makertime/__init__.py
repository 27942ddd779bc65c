"""makertime: protect deep, asynchronous work from synchronous work.

The library behind the ``makertime`` command. The usual entry points:

- ``makertime.policy.load_policy`` — policy.toml → Policy;
- ``makertime.calendars.read_calendars`` — .ics files and folders → expanded instances and tasks;
- ``makertime.app`` — every command as a call (``audit``, ``plan``, ``replan`` …);
- ``makertime.outputs`` — terminal, JSON and HTML renderings.

Importing this package is cheap: the iCalendar libraries load only when a file must be parsed.
"""

__version__ = "0.1.0"
