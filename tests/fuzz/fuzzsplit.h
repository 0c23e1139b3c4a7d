#pragma once

#include <cstddef>
#include <cstdint>

// Cuts a fuzzer input into pieces whose sizes the input itself chooses: the first byte
// seeds the piece sizes, so bytes arrive in the splits a network would make.
class FuzzSplit
{
public:
    FuzzSplit(const uint8_t *data, size_t size)
        : m_seed(size > 0 ? data[0] : 0)
        , m_data(size > 0 ? data + 1 : data)
        , m_left(size > 0 ? size - 1 : 0)
    {
    }
    // The next piece (1..64 bytes, or what is left); false when nothing is left.
    bool next(const uint8_t **piece, size_t *size)
    {
        if (m_left == 0)
            return false;
        m_seed = m_seed * 1103515245u + 12345u;
        size_t n = ((m_seed >> 16) % 64) + 1;
        if ((m_seed >> 8) % 8 == 0)
            n = m_left; // sometimes all at once
        if (n > m_left)
            n = m_left;
        *piece = m_data;
        *size = n;
        m_data += n;
        m_left -= n;
        return true;
    }

private:
    uint32_t m_seed;
    const uint8_t *m_data;
    size_t m_left;
};
