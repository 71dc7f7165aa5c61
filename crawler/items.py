"""What a spider yields: one fetch of a release page, or one list page of a
walk that ended normally, as the archive's writer takes them.  The items are
storage's own records, plain data that also survives JSON, so the same item
can travel to a writer in another process."""

from storage import FetchKind, FetchOutcome, ListedEntry, ListingOutcome, Observation

__all__ = ["FetchKind", "FetchOutcome", "ListedEntry", "ListingOutcome", "Observation"]
