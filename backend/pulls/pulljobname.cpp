#include "pulljobname.h"

#include <QCryptographicHash>

namespace pw::pulls {

namespace PullJobName {

QString stem(const QString &source, const QString &target) {
    const QByteArray hash =
        QCryptographicHash::hash((source + u'\n' + target).toUtf8(), QCryptographicHash::Sha256);
    return QStringLiteral("image-puller-") + QString::fromLatin1(hash.toHex().left(12)) + u'-';
}

int next(const QString &stem, const QList<QString> &knownIds) {
    int highest = 0;
    for (const QString &id : knownIds) {
        if (!id.startsWith(stem))
            continue;
        bool ok = false;
        const int n = QStringView(id).mid(stem.size()).toInt(&ok);
        if (ok && n > highest)
            highest = n;
    }
    return highest + 1;
}

} // namespace PullJobName

} // namespace pw::pulls
