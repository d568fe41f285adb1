"""Reports for leaders and politicians: the monthly report, the annual status report to the
municipal council, and the variation between units. Every indicator is computed in the database
from the case data and carries its definition (``vern.reports.indicators``)."""
