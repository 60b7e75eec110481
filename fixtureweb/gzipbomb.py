"""A gzip bomb: a small gzip member that inflates to a huge run of zero bytes.

Built without ever holding the inflated bytes: one MiB of zeros is deflated once with a full
flush (which makes the block independent of what came before), the block is repeated, and the
gzip trailer's CRC-32 is computed by combining CRCs in GF(2) (zlib's crc32_combine).
"""

from __future__ import annotations

import functools
import struct
import zlib

MIB = 1 << 20
GIB = 1 << 30


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's algorithm, in GF(2))."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << (n - 1) for n in range(1, 32)]  # one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _crc32_repeated(block: bytes, count: int) -> int:
    """CRC-32 of ``block`` repeated ``count`` times, by doubling (no big buffer, no long loop)."""
    result, piece, piece_len = 0, zlib.crc32(block), len(block)
    while count:
        if count & 1:
            result = crc32_combine(result, piece, piece_len)
        piece = crc32_combine(piece, piece, piece_len)
        piece_len *= 2
        count >>= 1
    return result


@functools.lru_cache(maxsize=4)
def gzip_bomb_bytes(size: int) -> bytes:
    """A gzip member inflating to ``size`` zero bytes (about size/1000 bytes itself)."""
    if size < 1:
        raise ValueError("gzip bomb size must be positive")
    chunk_size = min(size, MIB)
    zeros = bytes(chunk_size)
    full, rest = divmod(size, chunk_size)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    parts = [b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff", block * full]
    if rest:
        parts.append(compressor.compress(bytes(rest)))
    parts.append(compressor.flush(zlib.Z_FINISH))
    crc = crc32_combine(_crc32_repeated(zeros, full), zlib.crc32(bytes(rest)), rest)
    parts.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return b"".join(parts)
