#include "constanttime.h"

#include <QCryptographicHash>

namespace pw::server {

namespace ConstantTime {

bool equal(const QByteArray &a, const QByteArray &b) {
    const QByteArray ha = QCryptographicHash::hash(a, QCryptographicHash::Sha256);
    const QByteArray hb = QCryptographicHash::hash(b, QCryptographicHash::Sha256);
    // volatile: the compiler may not turn the loop into an early-exit memcmp.
    volatile unsigned char diff = 0;
    for (qsizetype i = 0; i < ha.size(); ++i)
        diff = diff | static_cast<unsigned char>(ha[i] ^ hb[i]);
    return diff == 0;
}

} // namespace ConstantTime

} // namespace pw::server
