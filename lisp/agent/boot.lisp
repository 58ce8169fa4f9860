;;;; boot.lisp: loads the agent and starts it.
;;;;
;;;;   sbcl --noinform --disable-ldb --end-runtime-options --no-sysinit --no-userinit
;;;;        --disable-debugger --load boot.lisp
;;;;
;;;; A fasl loads only into the SBCL that compiled it, so the agent is compiled on first use into
;;;; $XDG_CACHE_HOME/sbcl-profiler/<SBCL version>/<agent folder hash>/ (~/.cache when unset);
;;;; when that fails it is loaded from source.  With SBCL_PROFILER_NO_MAIN set it is loaded without starting (tests).
;;;;
;;;; In a running program: (load ".../boot.lisp") then (sbcl-profiler-agent:listen).

(defpackage #:sbcl-profiler-boot
  (:use #:common-lisp))

(in-package #:sbcl-profiler-boot)

(defparameter *agent-files* '("package" "json" "gc" "alloc" "agent" "record" "sampling" "deterministic" "listen"))

(defun cache-directory (agent-directory)
  "Per SBCL version, and per agent folder: an installed agent and a source tree never share
fasls."
  (let ((base (or (let ((xdg (sb-ext:posix-getenv "XDG_CACHE_HOME")))
                    (and xdg (plusp (length xdg))
                         (concatenate 'string (string-right-trim "/" xdg) "/")))
                  (let ((home (sb-ext:posix-getenv "HOME")))
                    (and home (plusp (length home))
                         (concatenate 'string (string-right-trim "/" home) "/.cache/"))))))
    (and base
         (pathname (format nil "~Asbcl-profiler/~A/~36R/"
                           base (substitute #\_ #\/ (lisp-implementation-version))
                           (sxhash (namestring agent-directory)))))))

(defun fresh-fasl (source directory newest)
  "The fasl of SOURCE in DIRECTORY, compiled when missing or older than NEWEST, the date of the
newest agent source (a file may use another's macros).  Compiles to a temporary name and
renames, so that sessions starting at once never load half a file."
  (let ((fasl (merge-pathnames (make-pathname :name (pathname-name source) :type "fasl")
                               directory)))
    (unless (and (probe-file fasl) (>= (file-write-date fasl) newest))
      (let ((temporary (merge-pathnames (make-pathname
                                         :name (format nil "~A-~D" (pathname-name source)
                                                       (sb-unix:unix-getpid))
                                         :type "fasl")
                                        directory)))
        (multiple-value-bind (output warnings-p failure-p)
            (let ((*standard-output* (make-broadcast-stream))
                  (*error-output* (make-broadcast-stream)))
              (compile-file source :output-file temporary))
          (declare (ignore warnings-p))
          (when (or (null output) failure-p)
            (ignore-errors (delete-file temporary))
            (error "compiling ~A failed" source))
          (rename-file output fasl))))
    fasl))

(defun load-agent ()
  (let* ((here (make-pathname :name nil :type nil :version nil
                              :defaults (or *load-truename* *default-pathname-defaults*)))
         (sources (mapcar (lambda (name) (merge-pathnames (make-pathname :name name :type "lisp")
                                                          here))
                          *agent-files*))
         (newest (reduce #'max sources :key #'file-write-date))
         (directory (cache-directory here)))
    (dolist (source sources)
      (let ((fasl (and directory
                       (ignore-errors
                        (ensure-directories-exist directory)
                        (fresh-fasl source directory newest)))))
        (if fasl
            (load fasl)
            (load source))))))

(defun fail (code format &rest args)
  "Says why the agent cannot start, on one line of stderr (the app shows the last line), and
exits with CODE: 3 when sb-sprof is missing, 5 when the agent fails to load."
  (let ((text (apply #'format nil format args)))
    (format *error-output* "~&sbcl-profiler agent: ~A~%"
            (substitute #\Space #\Newline (string-trim '(#\Space #\Newline) text)))
    (finish-output *error-output*)
    (sb-ext:exit :code code :abort t)))

(handler-case (require :sb-sprof)
  (error (e) (fail 3 "this SBCL cannot load sb-sprof: ~A" e)))

;; for listening in a running image (listen.lisp)
(handler-case (progn (require :sb-bsd-sockets) (require :sb-posix))
  (error (e) (fail 5 "the agent failed to load: ~A" e)))

(handler-case (load-agent)
  (error (e) (fail 5 "the agent failed to load: ~A" e)))

(defun launched-p ()
  "True when this SBCL was started to run the agent: by the app (SBCL_PROFILER_FD), or by hand
on stdin/stdout (SBCL_PROFILER_STDIO).  Loaded into a program of the user's, the agent only
waits for (sbcl-profiler-agent:listen)."
  (and (not (sb-ext:posix-getenv "SBCL_PROFILER_NO_MAIN"))
       (or (sb-ext:posix-getenv "SBCL_PROFILER_FD")
           (sb-ext:posix-getenv "SBCL_PROFILER_STDIO"))))

(when (launched-p)
  (funcall (intern "MAIN" "SBCL-PROFILER-AGENT")))
