"""The search index is cut in small chunks: a first search on a slow link fetches fewer bytes.

Pagefind 1.5.2 reads the chunk size from an environment variable marked unstable: if a Pagefind
upgrade dropped it, the bundle would come back as one chunk, and this test says so.
"""

from __future__ import annotations

from pathlib import Path

from loa.outputs.search import CHUNK, run_pagefind

WORDS = ("an", "toàn", "trẻ", "em", "đuối", "nước", "gia", "đình", "nhà", "trường", "áo", "phao", "người",
         "lớn", "trông", "chừng", "nguồn", "ao", "hồ", "sông", "suối", "giếng", "mùa", "hè", "lũ", "cộng",
         "đồng", "giáo", "viên", "học", "sinh", "cha", "mẹ", "ông", "bà", "bảo", "vệ", "lắng", "nghe")


def test_the_index_is_cut_in_chunks_of_chunk_word_places(tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    for number in range(40):
        page = documents / f"p{number}" / "index.html"
        page.parent.mkdir(parents=True)
        text = " ".join(f"{WORDS[(number + i) % len(WORDS)]} w{number}x{i % 30}" for i in range(60))
        page.write_text(f'<html lang="vi"><head><title>p{number}</title></head><body>'
                        f"<main data-pagefind-body><p>{text}</p></main></body></html>", encoding="utf-8")
    places = 40 * 60 * 2
    assert places > 2 * CHUNK  # Pagefind's default (20,000) would make one chunk of them
    bundle = tmp_path / "bundle"
    run_pagefind("vi", documents, bundle)
    chunks = sorted((bundle / "index").glob("*.pf_index"))
    assert len(chunks) >= places // CHUNK - 1, [chunk.name for chunk in chunks]
