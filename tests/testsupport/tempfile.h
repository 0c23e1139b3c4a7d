#pragma once

#include <QFile>
#include <QString>
#include <QTemporaryDir>

// Writes `content` to `name` in `dir` (a token, a key, a config file) and returns its path;
// an empty path when it could not be written.
inline QString writeTempFile(const QTemporaryDir &dir, const QString &name,
                             const QByteArray &content) {
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return {};
    return path;
}
