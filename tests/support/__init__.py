"""Helpers shared by the tests and ``bench/``; a test module never imports another test module
(``tests/test_suite_layout.py`` checks it). ``engine``: the real engine and scripted paths;
``telegram``: settings, updates and the expected messages; ``polling``, ``webhook``, ``processes``
and ``faults``: the bot run in the test's loop or as a process."""
