"""The database's label: a setting every report page shows as a banner when it marks demonstration data."""

LABEL_KEY = "label"  # the setting every report page shows as a banner when it is DEMO_LABEL
DEMO_LABEL = "演示数据"
