"""annot: structured event records from news articles, checked, diffed and summarised.

The library API imports no click and no rich: `annot.validate.Checker`,
`annot.records.load`, and the modules named in the README.
"""

__version__ = "0.1.0"
