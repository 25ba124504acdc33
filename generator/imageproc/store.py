"""Process every raster image of the content once: kept by the image's bytes and the settings.

An image is probed and encoded (across cores) only when the cache holds no result for the hash of
its bytes, its path (which names its files) and the encoder's settings; a build that did not
change an image, and the preview server after the first time it sees a photo, only read the
stored files. Without a cache folder (tests, a one-off build) the results stay in memory.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import features

from generator.imageproc import encode, plan
from generator.imageproc.probe import RASTER_SUFFIXES, Fault, probe
from generator.output.write import replace_file

CACHE_FOLDER = "images"
# AVIF files are a fifth smaller than WebP, but libavif took several times WebP's time per photo
# on our two cores (docs/performance.md); switch on when builds can afford it.
USE_AVIF = False


@dataclass(frozen=True)
class ProcessedImages:
    images: Mapping[str, plan.ImageSet]  # content-relative source → its published set
    faults: Mapping[str, tuple[Fault, ...]]  # content-relative source → what is wrong with it
    encoded: int = 0  # images encoded by this build rather than taken from the cache
    keys: Mapping[str, str] = field(default_factory=dict)  # source → its cache key (bytes, path, settings)
    _kept: Mapping[str, Path | encode.Encoded] = field(default_factory=dict)  # source → cache file or result

    def files(self, sources: Iterable[str] | None = None) -> Iterator[tuple[str, bytes]]:
        """Every published file (site path, bytes) of `sources` (default: all), read from the cache
        one image at a time."""
        for kept in (self._kept.values() if sources is None else (self._kept[s] for s in sources if s in self._kept)):
            result = kept if isinstance(kept, encode.Encoded) else _read(kept)
            if result is not None:
                yield from result.files

    def result(self, source: str) -> encode.Encoded:
        """What processing `source` gave, without its files."""
        return encode.Encoded(self.images.get(source), (), self.faults.get(source, ()))

    def merged(self, other: ProcessedImages) -> ProcessedImages:
        """These results with `other`'s replacing them (the preview server, one saved photo at a time)."""
        def kept(mapping: Mapping) -> dict:  # what `other` processed again is its to say, even "broken"
            return {s: value for s, value in mapping.items() if s not in other.keys}

        return ProcessedImages({**kept(self.images), **other.images}, {**kept(self.faults), **other.faults},
                               other.encoded, {**self.keys, **other.keys}, {**kept(self._kept), **other._kept})

    @property
    def urls(self) -> dict[str, str]:
        """Source → the site path a link to it now leads to (a HEIC's JPEG, a photo's cleaned copy)."""
        return {source: image.src for source, image in self.images.items()}

    @property
    def sizes(self) -> dict[str, tuple[int, int]]:
        """Source → upright (width, height) of its largest published file."""
        return {source: (image.width, image.height) for source, image in self.images.items()}


def is_raster(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in RASTER_SUFFIXES


def process_images(content_dir: Path, sources: Iterable[str], cache_dir: Path | None, map_items: Callable,
                   digest: Callable[[Path], bytes | None] | None = None,
                   previous: ProcessedImages | None = None) -> ProcessedImages:
    """Probe and encode the raster images among `sources` (content-relative); `digest` gives a
    file's sha256 when the caller already knows it (the build's input hashes); `previous`: results
    kept in memory (the preview server, which has no cache folder); `map_items`: how the images
    missing from both are encoded (parallel.Workers.map across cores, or machinery.serial_map)."""
    avif = USE_AVIF and features.check("avif")
    folder = cache_dir / CACHE_FOLDER if cache_dir is not None else None
    keys, kept, missing = {}, {}, []
    results: dict[str, encode.Encoded] = {}
    for source in sorted(s for s in sources if is_raster(s)):
        path = content_dir / source
        known = digest(path) if digest else None
        content = known.hex() if known else hashlib.sha256(path.read_bytes()).hexdigest()
        keys[source] = hashlib.sha256(repr((content, source, encode.SETTINGS, avif)).encode()).hexdigest()
        if previous is not None and previous.keys.get(source) == keys[source]:
            results[source] = previous.result(source)
            kept[source] = previous._kept.get(source, results[source])
            continue
        stored = _read(folder / f"{keys[source]}.meta") if folder is not None else None
        if stored is None or not (folder / f"{keys[source]}.files").is_file():
            missing.append((source, content))
        else:
            results[source], kept[source] = stored, folder / f"{keys[source]}.files"

    for (source, _), made in zip(missing, map_items(_encode, (content_dir, avif), missing, 1), strict=True):
        if folder is not None:
            # the files first: a meta file is only ever found beside its files
            kept[source], results[source] = folder / f"{keys[source]}.files", _without_files(made)
            replace_file(kept[source], pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
            replace_file(folder / f"{keys[source]}.meta", pickle.dumps(results[source]))
        else:
            kept[source] = results[source] = made
    ordered = sorted(results)  # the same order however many came from the cache: page keys hash it
    return ProcessedImages({s: results[s].image for s in ordered if results[s].image is not None},
                           {s: results[s].faults for s in ordered if results[s].faults}, len(missing),
                           {s: keys[s] for s in ordered}, {s: kept[s] for s in ordered if s in kept})


def _encode(settings: tuple[Path, bool], item: tuple[str, str]) -> encode.Encoded:
    """One image probed and encoded: module-level, so that a spawned worker can be handed it."""
    (content_dir, avif), (source, content) = settings, item
    path = content_dir / source
    found = probe(path)
    if not found.ok:
        return encode.Encoded(None, faults=found.faults)
    made = encode.encode(path, source, found, content, avif)
    return encode.Encoded(made.image, made.files, found.faults + made.faults)


def prune_cache(cache_dir: Path | None, used: ProcessedImages) -> None:
    """Remove the stored results no image of the last successful build has: a photo replaced
    ten times would otherwise leave ten sets of files behind."""
    folder = cache_dir / CACHE_FOLDER if cache_dir is not None else None
    if folder is None or not folder.is_dir():
        return
    keep = set(used.keys.values())
    try:
        for path in folder.iterdir():
            if path.name.partition(".")[0] not in keep:
                path.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be pruned costs disk space, never the build


def _without_files(result: encode.Encoded) -> encode.Encoded:
    return encode.Encoded(result.image, (), result.faults)


def _read(path: Path) -> encode.Encoded | None:
    try:
        with path.open("rb") as stream:
            found = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None  # not stored, or by an older version: encoded again
    return found if isinstance(found, encode.Encoded) else None
