"""The revocation pages: the city's list and revoke form, one revocation with its 通报 (the city,
admins and the county whose cluster it was)."""
