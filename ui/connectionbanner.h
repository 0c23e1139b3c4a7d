#pragma once

#include <QFrame>

class QLabel;

// The clear banner over the window while the backend is unreachable, with "Retry now".
class ConnectionBanner : public QFrame {
    Q_OBJECT
public:
    explicit ConnectionBanner(QWidget *parent = nullptr);
    void showProblem(const QString &server, const QString &detail);
    QString text() const;

Q_SIGNALS:
    void retryRequested();

private:
    QLabel *m_label;
};
