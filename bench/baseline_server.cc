// gatehouse-baseline-server: the benchmark's HTTP baseline. A bare cpp-httplib server with the
// gateway's socket settings (TCP_NODELAY, keep-alive, a 32-thread pool) answering every POST
// with a fixed connector answer: what the machine can do with no work behind the HTTP layer.
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

namespace {
httplib::Server* running = nullptr;
}

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int threads = 32;
  CLI::App app{"gatehouse-baseline-server: fixed connector answers, nothing behind them"};
  app.add_option("--host", host);
  app.add_option("--threads", threads);
  CLI11_PARSE(app, argc, argv);

  httplib::Server server;
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.Post(R"(/.*)", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"version":"1.0.0","action":"Continue"})", "application/json");
  });
  const int port = server.bind_to_any_port(host);
  running = &server;
  std::signal(SIGTERM, [](int) { running->stop(); });
  std::cout << "baseline ready on " << host << ":" << port << std::endl;
  server.listen_after_bind();
  return 0;
}
