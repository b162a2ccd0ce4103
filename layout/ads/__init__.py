"""Ad planning (issue 19): the booking list read from the edition (bookings.py), bookings placed
across the edition as pinned ad items before the automatic layout (plan.py), and the ad dummy
(dummy.py)."""
