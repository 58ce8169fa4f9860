;;;; listen.lisp: the agent in a running image.  (sbcl-profiler-agent:listen) opens a Unix
;;;; socket that only the same user can reach; the app (or `sbcl-profiler record --attach`)
;;;; connects, speaks the same protocol as to a launched agent, and detaches, leaving the program
;;;; running with nothing instrumented.

(in-package #:sbcl-profiler-agent)

(defstruct listener
  socket
  path          ; the socket file, or NIL for TCP
  info-path     ; the JSON file beside it that `sbcl-profiler list` reads
  port          ; TCP only
  token         ; TCP only: the secret a client sends first
  thread
  (client nil)) ; the socket of the connection being served, or NIL

(defvar *listener* nil)
(defun runtime-directory ()
  "$XDG_RUNTIME_DIR/sbcl-profiler/, or /tmp/sbcl-profiler-UID/ where the variable is unset."
  (let ((xdg (sb-ext:posix-getenv "XDG_RUNTIME_DIR")))
    (if (and xdg (plusp (length xdg)))
        (format nil "~A/sbcl-profiler/" (string-right-trim "/" xdg))
        (format nil "/tmp/sbcl-profiler-~D/" (sb-unix:unix-getuid)))))

(defun ensure-private-directory (directory)
  "Makes DIRECTORY mode 0700 and refuses one that another user owns or others can enter."
  (ensure-directories-exist directory :mode #o700)
  (let ((stat (sb-posix:stat directory)))
    (unless (= (sb-posix:stat-uid stat) (sb-unix:unix-getuid))
      (error "~A belongs to another user" directory))
    (sb-posix:chmod directory #o700)))

(defun write-info-file (path socket-path)
  (with-open-file (out path :direction :output :if-exists :supersede)
    (write-json (obj "pid" (sb-unix:unix-getpid)
                     "name" (image-name)
                     "sbcl_version" (lisp-implementation-version)
                     "socket" socket-path
                     "cwd" (ignore-errors (sb-posix:getcwd))
                     "started" *started-at*
                     "protocol" +protocol-version+)
                out))
  (sb-posix:chmod path #o600))

;;; Peers

(defun peer-uid (socket)
  "The user id of the process at the other end of a Unix socket (SO_PEERCRED), or NIL."
  (sb-alien:with-alien ((credentials (array (sb-alien:unsigned 32) 3))
                        (size sb-alien:unsigned-int 12))
    (let ((result (sb-alien:alien-funcall
                   (sb-alien:extern-alien "getsockopt"
                                          (function sb-alien:int sb-alien:int sb-alien:int
                                                    sb-alien:int (* t) (* sb-alien:unsigned-int)))
                   (sb-bsd-sockets:socket-file-descriptor socket)
                   1                    ; SOL_SOCKET
                   17                   ; SO_PEERCRED
                   (sb-alien:cast credentials (* t))
                   (sb-alien:addr size))))
      (and (zerop result) (sb-alien:deref credentials 1)))))

;;; Serving one connection

(defun abandon-recording ()
  "Turns every profiler off without collecting anything: the app is gone."
  (let ((recording *recording*))
    (when recording
      (setf *recording* nil)
      (ignore-errors
       (case (recording-mode recording)
         (:deterministic
          ;; the path wrappers, sb-profile's encapsulations and its calibration
          (stop-deterministic))
         (:alloc-exact
          (stop-alloc-exact))
         (t
          (abandon-sampler (recording-sampler recording))))))))

(defun authenticated-p (stream token)
  "TCP clients must send {\"op\":\"auth\",\"token\":…} first."
  (or (null token)
      (let* ((line (ignore-errors (read-bounded-line stream)))
             (message (and line (ignore-errors (parse-json line)))))
        (and message (equal (jget message "op") "auth")
             (equal (jget message "token") token)))))

(defun serve-connection (listener socket)
  "Answers requests on SOCKET until the peer detaches or goes away; then leaves nothing
instrumented and no job running."
  (let ((stream (sb-bsd-sockets:socket-make-stream socket :input t :output t
                                                          :external-format :utf-8
                                                          :buffering :full)))
    (unwind-protect
         (when (authenticated-p stream (listener-token listener))
           (setf *output* stream
                 *attached* t
                 *reader-thread* sb-thread:*current-thread*
                 *quitting* nil)
           (unless (and *worker* (sb-thread:thread-alive-p *worker*))
             (start-worker))
           (install-gc-hook)
           (hello)
           (serve stream))
      (sb-thread:with-mutex (*output-lock*)
        (setf *output* nil))
      (interrupt-worker)
      (abandon-recording)
      (uninstall-gc-hook)
      ;; Free the slot before hanging up: a peer that sees the end may attach again at once.
      (setf (listener-client listener) nil)
      (ignore-errors (close stream :abort t))
      (ignore-errors (sb-bsd-sockets:socket-close socket)))))

(defun refuse (socket why)
  (ignore-errors
   (let ((stream (sb-bsd-sockets:socket-make-stream socket :output t :external-format :utf-8)))
     (write-line (json-string (obj "event" "refused" "message" why)) stream)
     (finish-output stream)))
  (ignore-errors (sb-bsd-sockets:socket-close socket)))

(defun accept-loop (listener)
  (loop (let ((socket (handler-case (sb-bsd-sockets:socket-accept (listener-socket listener))
                        (error () (return)))))
          (when socket
            (cond ((and (listener-path listener)
                        (not (eql (peer-uid socket) (sb-unix:unix-getuid))))
                   (refuse socket "this image accepts connections only from its own user"))
                  ((listener-client listener)
                   (refuse socket "another profiler is attached to this image"))
                  (t
                   (setf (listener-client listener) socket)
                   (sb-thread:make-thread (lambda () (serve-connection listener socket))
                                          :name "sbcl-profiler")))))))

;;; Starting and stopping

(defun random-token ()
  (with-open-file (in "/dev/urandom" :element-type '(unsigned-byte 8))
    (let ((bytes (make-array 16 :element-type '(unsigned-byte 8))))
      (read-sequence bytes in)
      (format nil "~(~{~2,'0x~}~)" (coerce bytes 'list)))))

(defun make-unix-listener ()
  (let* ((directory (runtime-directory))
         (pid (sb-unix:unix-getpid))
         (path (format nil "~A~D.sock" directory pid))
         (info (format nil "~A~D.json" directory pid))
         (socket (make-instance 'sb-bsd-sockets:local-socket :type :stream)))
    (ensure-private-directory directory)
    (ignore-errors (delete-file path))
    (let ((old-umask (sb-posix:umask #o177)))
      (unwind-protect (sb-bsd-sockets:socket-bind socket path)
        (sb-posix:umask old-umask)))
    (sb-posix:chmod path #o600)
    (sb-bsd-sockets:socket-listen socket 4)
    (write-info-file info path)
    (make-listener :socket socket :path path :info-path info)))

(defun make-tcp-listener (port)
  (let ((socket (make-instance 'sb-bsd-sockets:inet-socket :type :stream :protocol :tcp)))
    (setf (sb-bsd-sockets:sockopt-reuse-address socket) t)
    (sb-bsd-sockets:socket-bind socket #(127 0 0 1) port)
    (sb-bsd-sockets:socket-listen socket 4)
    (make-listener :socket socket
                   :port (nth-value 1 (sb-bsd-sockets:socket-name socket))
                   :token (random-token))))

(defun listen (&key tcp (port 0))
  "Lets the SBCL Profiler attach to this image.  By default on a Unix socket in
$XDG_RUNTIME_DIR/sbcl-profiler/ that only this user can reach; returns its path.  With :TCP T,
on 127.0.0.1:PORT (0: any free port) with a random token, printed once: returns the port and
the token."
  (when *listener*
    (return-from listen (or (listener-path *listener*)
                            (values (listener-port *listener*) nil))))
  (let ((listener (if tcp (make-tcp-listener port) (make-unix-listener))))
    (setf (listener-thread listener)
          (sb-thread:make-thread (lambda () (accept-loop listener)) :name "sbcl-profiler"))
    (setf *listener* listener)
    (pushnew 'stop-listening sb-ext:*exit-hooks*)
    (cond (tcp
           (format *terminal-io* "~&SBCL Profiler: listening on 127.0.0.1:~D, token ~A~%"
                   (listener-port listener) (listener-token listener))
           (finish-output *terminal-io*)
           (values (listener-port listener) (listener-token listener)))
          (t (listener-path listener)))))

(defun stop-listening ()
  "Closes the socket and detaches any profiler; the image goes on."
  (let ((listener *listener*))
    (when listener
      (setf *listener* nil)
      (ignore-errors (sb-bsd-sockets:socket-close (listener-socket listener)))
      (let ((client (listener-client listener)))
        (when client (ignore-errors (sb-bsd-sockets:socket-close client))))
      (when (listener-path listener)
        (ignore-errors (delete-file (listener-path listener)))
        (ignore-errors (delete-file (listener-info-path listener))))
      (let ((thread (listener-thread listener)))
        (when (and thread (sb-thread:thread-alive-p thread)
                   (not (eq thread sb-thread:*current-thread*)))
          (ignore-errors (sb-thread:terminate-thread thread))))
      t)))
