#include "logfilename.h"

namespace pw::ui {

namespace LogFileName {

QString sanitise(const QString &text) {
    QString out;
    out.reserve(text.size());
    for (QChar c : text) {
        const bool keep =
            (c.unicode() < 0x80 && c.isLetterOrNumber()) || c == u'.' || c == u'_' || c == u'-';
        out += keep ? c : QChar(u'-');
    }
    return out;
}

QString suggest(const LogTarget &target, const QDateTime &when) {
    const QString what = !target.pod.isEmpty()   ? target.pod
                         : !target.job.isEmpty() ? target.job
                                                 : target.selector;
    const QString container = target.container.isEmpty() || target.container == QStringLiteral("*")
                                  ? QStringLiteral("all")
                                  : target.container;
    return QStringLiteral("%1_%2_%3_%4.log")
        .arg(sanitise(target.namespaceName), sanitise(what), sanitise(container),
             when.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")));
}

} // namespace LogFileName

} // namespace pw::ui
