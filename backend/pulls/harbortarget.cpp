#include "harbortarget.h"

namespace pw::pulls {

namespace HarborTarget {

namespace {

QString asWritten(const core::ImageReference &source, const QString &prefix) {
    QString target = prefix + source.written();
    if (source.tag().isEmpty() && source.digest().isEmpty())
        target += QStringLiteral(":latest");
    return target;
}

// A registry port becomes "_<port>": '_' is never part of a host name, so no two registries
// share a path, and the result stays a valid repository path.
QString canonical(const core::ImageReference &source, const QString &prefix) {
    QString host = source.domain().toLower(); // host names are case-insensitive; paths are not
    host.replace(u':', u'_');
    QString target = prefix + host + u'/' + source.path();
    if (!source.tag().isEmpty() || source.digest().isEmpty())
        target += u':' + (source.tag().isEmpty() ? QStringLiteral("latest") : source.tag());
    if (!source.digest().isEmpty())
        target += u'@' + source.digest();
    return target;
}

} // namespace

core::Result<QString> of(const core::ImageReference &source, const PullSettings &settings) {
    const bool written = settings.targetRule == PullSettings::TargetRule::AsWritten;
    const QString target = written ? asWritten(source, settings.harborPrefix)
                                   : canonical(source, settings.harborPrefix);
    if (const auto parsed = core::ImageReference::parse(target); !parsed.ok())
        return core::Result<QString>::failure(
            QStringLiteral("its Harbor target '%1' would not be a valid image reference (%2)%3")
                .arg(target.left(300), parsed.error(),
                     written && source.port() != 0
                         ? QStringLiteral(
                               "; a registry with a port needs --harbor-target-rule canonical")
                         : QString()));
    return target;
}

QString ruleName(PullSettings::TargetRule rule) {
    return rule == PullSettings::TargetRule::AsWritten ? QStringLiteral("as-written")
                                                       : QStringLiteral("canonical");
}

bool parseRule(const QString &text, PullSettings::TargetRule *out) {
    if (text == u"as-written")
        *out = PullSettings::TargetRule::AsWritten;
    else if (text == u"canonical")
        *out = PullSettings::TargetRule::Canonical;
    else
        return false;
    return true;
}

} // namespace HarborTarget

} // namespace pw::pulls
