#pragma once

#include <QByteArray>

namespace pw::server {

namespace ConstantTime {

// Compares secrets in time independent of where they differ and of their lengths (both
// sides are hashed to SHA-256 first; the digests are compared without an early exit), so
// the time of an answer tells nothing about how close a guess was.
bool equal(const QByteArray &a, const QByteArray &b);

} // namespace ConstantTime

} // namespace pw::server
