#pragma once

#include <QMainWindow>
#include <QUrl>

class QLabel;
class QNetworkAccessManager;

// The desktop window. For now it shows which backend it is attached to and whether that
// backend answers; the pull tables and the log view come with the window's own work.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const QUrl &backend, QWidget *parent = nullptr);

private:
    void checkHealth();

    QUrl m_backend;
    QLabel *m_state;
    QNetworkAccessManager *m_network;
};
