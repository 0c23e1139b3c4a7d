#include "connectionchoice.h"

#include "windowstate.h"

#include <QObject>

namespace pw::ui {

QStringList ConnectionChoice::arguments() const {
    switch (kind) {
    case Kind::Demo:
        return {QStringLiteral("--demo")};
    case Kind::Kubeconfig: {
        QStringList args{QStringLiteral("--kubeconfig"), kubeconfig};
        if (!context.isEmpty())
            args << QStringLiteral("--context") << context;
        return args;
    }
    case Kind::Remote:
        return {QStringLiteral("--connect"), url.toString(QUrl::RemoveUserInfo)};
    }
    return {};
}

QString ConnectionChoice::key() const {
    switch (kind) {
    case Kind::Demo:
        return QStringLiteral("demo");
    case Kind::Kubeconfig:
        return QStringLiteral("kubeconfig:%1#%2").arg(kubeconfig, context);
    case Kind::Remote:
        return url.toString(QUrl::RemoveUserInfo);
    }
    return {};
}

ConnectionChoice ConnectionChoice::fromKey(const QString &key) {
    ConnectionChoice c;
    if (key == u"demo") {
        c.kind = Kind::Demo;
    } else if (key.startsWith(QStringLiteral("kubeconfig:"))) {
        c.kind = Kind::Kubeconfig;
        const QString rest = key.mid(11);
        const qsizetype hash = rest.lastIndexOf(u'#');
        c.kubeconfig = rest.left(hash);
        c.context = hash < 0 ? QString() : rest.mid(hash + 1);
    } else {
        c.kind = Kind::Remote;
        c.url = QUrl(key);
    }
    return c;
}

QString ConnectionChoice::describe() const {
    switch (kind) {
    case Kind::Demo:
        return QObject::tr("the demo cluster");
    case Kind::Kubeconfig:
        return context.isEmpty() ? kubeconfig
                                 : QObject::tr("context %1 of %2").arg(context, kubeconfig);
    case Kind::Remote:
        return url.toDisplayString(QUrl::RemoveUserInfo);
    }
    return {};
}

namespace ConnectionHistory {

QList<ConnectionChoice> recent() {
    QList<ConnectionChoice> list;
    for (const QString &key :
         WindowState::open()->value(QStringLiteral("connections/recent")).toStringList())
        list.append(ConnectionChoice::fromKey(key));
    return list;
}

void remember(const ConnectionChoice &choice) {
    const auto state = WindowState::open();
    QStringList keys = state->value(QStringLiteral("connections/recent")).toStringList();
    keys.removeAll(choice.key());
    keys.prepend(choice.key());
    state->setValue(QStringLiteral("connections/recent"), keys.mid(0, 10));
}

} // namespace ConnectionHistory

} // namespace pw::ui
