;;;; synthetic-samples.lisp: a source of samples for benches and tests, loaded into a session
;;;; (never installed).  sb-sprof on a small machine cannot take millions of samples in a
;;;; reasonable time, so ARM sets the agent's *EXTRA-TRACES* to a generator: at each drain it
;;;; adds the samples due since the last one, as SBCL's buffers would have held them, and all
;;;; that follows (frame lookup, aggregation, the batches, the app) is the real path.
;;;;
;;;;   (synthetic-samples:arm :total 10000000 :seconds 20)  ; after the recording has started
;;;;   (synthetic-samples:produced)                          ; samples handed to the agent so far
;;;;   (synthetic-samples:release-rest)                      ; the next drain takes the rest
;;;;   (synthetic-samples:disarm)
;;;;
;;;; The samples belong to real threads (named "synthetic 0", "synthetic 1", … that sleep until
;;;; disarmed), their stacks are 20 to 80 frames deep, made of real compiled functions of the
;;;; image (CL and SB-IMPL), so that names and source locations are looked up the real way, and
;;;; begin as a thread's stack begins (new_thread_trampoline, SB-THREAD::RUN).  A seeded
;;;; generator makes the same samples on every run.  Most samples are traces of their own
;;;; (multiplicity 1): SBCL merges the traces of a buffer whose every PC is the same, and a
;;;; leaf's PC mostly differs from one sample to the next.

(defpackage #:synthetic-samples
  (:use #:common-lisp)
  (:export #:arm #:release-rest #:disarm #:produced #:thread-produced #:memory-marks))

(in-package #:synthetic-samples)

(defstruct source
  (threads #() :type simple-vector)
  (pools #() :type simple-vector)   ; per thread: a simple-vector of stacks (#(info pc …))
  (current #() :type simple-vector) ; per thread: the stack of its last sample
  (switch 1d0 :type double-float)   ; the chance that a sample is of a newly chosen stack
  (random (sb-ext:seed-random-state 1))
  (total 0 :type fixnum)
  (seconds 1d0 :type double-float)
  (start 0d0 :type double-float)
  (rest-now nil)                    ; the next drain takes every sample still to come
  (produced 0 :type fixnum)
  (thread-produced #() :type simple-vector)
  (marks '())                       ; samples at which to take MEMORY-MARKS
  (memory '()))                     ; (samples dynamic-bytes rss-kb hwm-kb), newest first

(defvar *source* nil)
(defvar *stop-threads* nil)

(defun now ()
  (multiple-value-bind (seconds nanoseconds) (sb-unix::clock-gettime 1)
    (+ seconds (/ nanoseconds 1d9))))

(defun image-debug-funs (count random)
  "COUNT compiled debug-funs of distinct functions of CL and SB-IMPL, chosen by RANDOM among
all of them in the order of their names (the same on every run)."
  (let ((funs '()))
    (dolist (package '("COMMON-LISP" "SB-IMPL"))
      (do-symbols (symbol package)
        (when (and (eq (symbol-package symbol) (find-package package))
                   (fboundp symbol)
                   (not (macro-function symbol))
                   (not (special-operator-p symbol))
                   (typep (fdefinition symbol) 'sb-kernel:simple-fun))
          (push symbol funs))))
    (let ((sorted (coerce (sort (remove-duplicates funs) #'string< :key #'prin1-to-string)
                          'simple-vector)))
      (loop for i from (1- (length sorted)) downto 1
            do (rotatef (svref sorted i) (svref sorted (random (1+ i) random))))
      (loop for symbol across sorted
            for debug-fun = (ignore-errors (sb-di::fun-debug-fun (fdefinition symbol)))
            when (typep debug-fun 'sb-di::compiled-debug-fun)
              collect debug-fun into chosen
              and count t into n
            until (>= n count)
            finally (return (coerce chosen 'simple-vector))))))

(defun stack-pool (size funs random)
  "SIZE stacks of one thread, as a call tree makes them: each one after the first continues a
prefix of an earlier one (all of it but up to 20 frames, when it is deep enough) with frames
of its own, 20 to 80 deep in all below the thread's start; outermost first, then turned into
sb-sprof's #(info pc …), innermost first."
  (let ((outer (list "foreign function new_thread_trampoline"
                     (sb-di::fun-debug-fun #'sb-thread::run)))
        (stacks (make-array size)))
    (dotimes (i size)
      (let* ((depth (+ 20 (random 61 random)))
             (parent (and (plusp i) (svref stacks (random i random))))
             (keep (if parent
                       (max 0 (min (- (length parent) 1) (- depth 1 (random 20 random))))
                       0))
             (frames (append (subseq (or parent '()) 0 keep)
                             (loop repeat (max 1 (- depth keep))
                                   collect (svref funs (random (length funs) random))))))
        (setf (svref stacks i) frames)))
    (map 'simple-vector
         (lambda (frames)
           (let* ((infos (reverse (append outer frames)))
                  (locs (make-array (* 2 (length infos)) :initial-element 0)))
             (loop for info in infos
                   for k from 0 by 2
                   do (setf (svref locs k) info))
             locs))
         stacks)))

(defun start-threads (n)
  (setf *stop-threads* nil)
  (let ((threads (make-array n)))
    (dotimes (i n threads)
      (setf (svref threads i)
            (sb-thread:make-thread (lambda () (loop until *stop-threads* do (sleep 0.05)))
                                   :name (format nil "synthetic ~D" i))))))

(defun stop-threads (source)
  (setf *stop-threads* t)
  (loop for thread across (source-threads source)
        do (sb-thread:join-thread thread :default nil)))

(defun memory-mark (source samples)
  "The agent's memory now, after a full collection: (samples dynamic-bytes rss-kb hwm-kb)."
  (sb-ext:gc :full t)
  (let ((status (with-open-file (in "/proc/self/status")
                  (loop for line = (read-line in nil) while line collect line))))
    (flet ((kb (key)
             (let ((line (find key status :test (lambda (key line)
                                                  (eql 0 (search key line))))))
               (and line (parse-integer line :start (length key) :junk-allowed t)))))
      (push (list samples (sb-kernel:dynamic-usage) (kb "VmRSS:") (kb "VmHWM:"))
            (source-memory source)))))

(defun next-stack (source thread)
  "The stack of THREAD's next sample.  A pool's low stacks come more often than its high ones,
as a program's hot paths do, and a thread stays on a stack for a while (SWITCH), as a program
stays in a loop: two samples a few microseconds apart are mostly in the same place."
  (let ((random (source-random source))
        (current (source-current source)))
    (if (or (null (svref current thread)) (< (random 1d0 random) (source-switch source)))
        (setf (svref current thread)
              (let ((pool (svref (source-pools source) thread)))
                (svref pool (floor (* (length pool) (expt (random 1d0 random) 3))))))
        (svref current thread))))

(defun generate (source)
  "The traces due since the last drain, per thread: ((thread . ((locs . multiplicity) …)) …).
A sample of the same stack as the one before is still a trace of its own: its leaf's PC
differs (SBCL merges traces whose every PC is the same).  PRODUCED counts them only once the
memory marks they reach are taken, so that who waits for the total waits for no collection."
  (let* ((random (source-random source))
         (due (if (source-rest-now source)
                  (source-total source)
                  (min (source-total source)
                       (floor (* (source-total source) (- (now) (source-start source)))
                              (source-seconds source)))))
         (produced (source-produced source))
         (n-threads (length (source-threads source)))
         (traces (make-array n-threads :initial-element '())))
    (loop while (< produced due)
          do (let ((thread (random n-threads random))
                   (multiplicity (if (< (random 20 random) 19)
                                     1
                                     (min (+ 2 (random 4 random)) (- due produced)))))
               (push (cons (next-stack source thread) multiplicity) (svref traces thread))
               (incf (svref (source-thread-produced source) thread) multiplicity)
               (incf produced multiplicity)))
    (loop while (and (source-marks source) (>= produced (first (source-marks source))))
          do (pop (source-marks source))
             (memory-mark source produced))
    (setf (source-produced source) produced)
    (loop for thread across (source-threads source)
          for list across traces
          when list collect (cons thread list))))

(defun arm (&key (total 10000000) (seconds 20) (threads 4) (stacks 5000) (functions 400)
              (switch 0.125) (seed 1) (marks '()))
  "Feeds TOTAL samples to the agent's drains over SECONDS from now, in THREADS threads of
STACKS distinct stacks each, made of FUNCTIONS functions; each sample of a thread is of a
newly chosen stack with the chance SWITCH (1: every sample), else of the thread's last one.
MARKS: sample counts at which the drain that reaches them takes the agent's memory
(MEMORY-MARKS)."
  (disarm)
  (let* ((random (sb-ext:seed-random-state seed))
         (funs (image-debug-funs functions random))
         (source (make-source :threads (start-threads threads)
                              :pools (coerce (loop repeat threads
                                                   collect (stack-pool stacks funs random))
                                             'simple-vector)
                              :random random
                              :current (make-array threads :initial-element nil)
                              :switch (float switch 1d0)
                              :total total
                              :seconds (float seconds 1d0)
                              :thread-produced (make-array threads :initial-element 0)
                              :marks (sort (copy-list marks) #'<))))
    (setf (source-start source) (now)
          *source* source
          sbcl-profiler-agent::*extra-traces* (lambda () (generate source)))
    total))

(defun release-rest ()
  "Makes the next drain take every sample still to come, such as the one at Stop."
  (when *source*
    (setf (source-rest-now *source*) t)))

(defun disarm ()
  (setf sbcl-profiler-agent::*extra-traces* nil)
  (when *source*
    (stop-threads *source*))
  t)

(defun produced ()
  "Samples handed to the agent since ARM."
  (if *source* (source-produced *source*) 0))

(defun thread-produced ()
  "(name samples) of each synthetic thread."
  (when *source*
    (loop for thread across (source-threads *source*)
          for n across (source-thread-produced *source*)
          collect (list (sb-thread:thread-name thread) n))))

(defun memory-marks ()
  "The memory taken at the MARKS of ARM, oldest first: (samples dynamic-bytes rss-kb hwm-kb)."
  (when *source* (reverse (source-memory *source*))))
