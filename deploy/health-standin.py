# A stand-in replica on 127.0.0.1:PORT whose gRPC health answers NOT_SERVING (08 02), for 20 s.
import socket, sys, threading, time
port = int(sys.argv[1]); status = int(sys.argv[2]) if len(sys.argv) > 2 else 2
def frame(t, flags, stream, payload): return len(payload).to_bytes(3, "big") + bytes([t, flags]) + stream.to_bytes(4, "big") + payload
def serve(c):
    try:
        c.recv(65536)
        msg = bytes([0, 0, 0, 0, 2, 8, status])
        trailers = b"\x00\x0bgrpc-status\x010"
        c.sendall(frame(4, 0, 0, b"") + frame(1, 4, 1, b"\x88\x0f\x10\x10application/grpc") + frame(0, 0, 1, msg) + frame(1, 5, 1, trailers))
        time.sleep(3)
    finally:
        c.close()
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", port)); s.listen(16); s.settimeout(1)
end = time.time() + 20
while time.time() < end:
    try: c, _ = s.accept()
    except socket.timeout: continue
    threading.Thread(target=serve, args=(c,), daemon=True).start()
