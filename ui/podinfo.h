#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>

namespace pw::ui {

// A pod as GET /pods lists it (docs/architecture.md §3): what a log viewer can choose from.
struct PodInfo {
    struct Container {
        QString name;
        bool init = false;
        QString state; // running, waiting, terminated… as given
    };
    QString name;
    QString namespaceName;
    QString phase;
    QString job;                 // owning Job, or empty
    QList<Container> containers; // init containers first

    // Reads one pod; tolerant of the exact shape (strings or objects for containers,
    // snake_case or camelCase keys).
    static PodInfo fromJson(const QJsonValue &value);
    static QList<PodInfo> listFromJson(const QJsonValue &data);
    // GET /namespaces: an array of names or of objects with "name".
    static QStringList namesFromJson(const QJsonValue &data);
};

} // namespace pw::ui
