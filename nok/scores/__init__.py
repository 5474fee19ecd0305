"""The only bridge from stored fieldwork to ``scoring``: current scores, frozen snapshots,
the rating, publication and the open-data export. Pages, exports and documents read results
only from here."""
