"""What the registry publishes beside a table's formats: charts as Vega-Lite specs and their SVG/PNG files
(``charts``, ``chartfile``, ``budgetcharts``), the amendment list and agreement schedule as documents
(``documents``), the 取組状況 report of a fiscal year (``progress``) and fiscal years and amounts as
pages and documents write them (``fiscal``).
"""
