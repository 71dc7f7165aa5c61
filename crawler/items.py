"""What a spider yields: one fetch of a release page, as the archive's
writer takes it.  The item is storage's own ``FetchOutcome``, a plain
record that also survives JSON, so the same item can travel to a writer in
another process."""

from storage import FetchKind, FetchOutcome, Observation

__all__ = ["FetchKind", "FetchOutcome", "Observation"]
