;;;; record.lisp: statistical (sb-sprof) and deterministic (sb-profile) recordings, and the
;;;; workload runner.

(in-package #:sbcl-profiler-agent)

(defstruct recording
  mode               ; :cpu :alloc :time or :deterministic
  interval
  max-samples
  (start 0d0)
  (gc-start 0)
  (bytes-start 0)
  (runs '()))        ; deterministic: one figure list per finished run, newest first

(defvar *recording* nil)

(defun now ()
  "Monotonic seconds; get-internal-real-time only advances in 4 ms steps here."
  (multiple-value-bind (seconds nanoseconds) (sb-unix::clock-gettime 1)
    (+ seconds (/ nanoseconds 1d9))))

(defun ticks->seconds (ticks)
  (/ ticks (float internal-time-units-per-second 1d0)))

;;; Source locations, from the debug info sb-introspect reads

(defvar *source-files* (make-hash-table :test 'equal)
  "file -> (text . vector of the offsets at which its lines start), or :none")

(defun source-file (file)
  (multiple-value-bind (entry found) (gethash file *source-files*)
    (if found
        entry
        (setf (gethash file *source-files*)
              (or (ignore-errors
                   (with-open-file (in file :external-format '(:utf-8 :replacement #\?))
                     (let* ((text (let ((buffer (make-string (file-length in))))
                                    (subseq buffer 0 (read-sequence buffer in))))
                            (starts (make-array 64 :adjustable t :fill-pointer 0)))
                       (vector-push-extend 0 starts)
                       (loop for c across text
                             for offset from 1
                             do (when (char= c #\Newline) (vector-push-extend offset starts)))
                       (cons text starts))))
                  :none)))))

(defun skip-blanks (text offset)
  "The offset of the form at or after OFFSET: recorded positions may point at the blank lines
and comments before it."
  (loop while (< offset (length text))
        do (let ((c (char text offset)))
             (cond ((member c '(#\Space #\Tab #\Newline #\Return #\Page)) (incf offset))
                   ((char= c #\;) (setf offset (or (position #\Newline text :start offset)
                                                    (length text))))
                   (t (return)))))
  offset)

(defun offset-line (file offset)
  "The 1-based line of the form at character OFFSET in FILE; 0 when unknown."
  (let ((entry (source-file file)))
    (if (eq entry :none)
        0
        (let ((starts (cdr entry))
              (offset (skip-blanks (car entry) offset))
              (low 0))
          (let ((high (length starts)))
            (loop while (< (1+ low) high)
                  do (let ((middle (floor (+ low high) 2)))
                       (if (<= (aref starts middle) offset) (setf low middle) (setf high middle)))))
          (1+ low)))))

(defun debug-fun-location (debug-fun)
  "(values file line) of the toplevel form that defined DEBUG-FUN, when its file exists."
  (ignore-errors
   (let* ((code (sb-di::compiled-debug-fun-component debug-fun))
          (source (sb-c::debug-info-source (sb-kernel:%code-debug-info code)))
          (file (sb-c::debug-source-namestring source)))
     (when (and (stringp file) (probe-file file))
       (let* ((file (namestring (probe-file file)))
              (tlf (sb-c::compiled-debug-fun-tlf-number
                    (sb-di::compiled-debug-fun-compiler-debug-fun debug-fun)))
              (positions (sb-c::debug-source-start-positions source)))
         (values file
                 (if (and tlf positions (< tlf (length positions)))
                     (offset-line file (aref positions tlf))
                     0)))))))

(defun function-location (function)
  (ignore-errors
   (unless (typep function 'generic-function)
     (debug-fun-location (sb-di::fun-debug-fun function)))))

;;; Frame names

(defparameter *wrapper-heads*
  (remove nil (mapcar (lambda (name) (find-symbol name "SB-C"))
                      '("XEP" "TL-XEP" "&MORE-PROCESSOR" "&OPTIONAL-PROCESSOR" "VARARGS-ENTRY")))
  "Debug names that wrap a function's own name; the function is what the user knows.")

(defun strip-wrapper (name)
  (loop while (and (consp name) (member (car name) *wrapper-heads*) (consp (cdr name)))
        do (setf name (second name)))
  name)

(defun frame-name (info)
  "The name of one frame of an sb-sprof trace."
  (typecase info
    (null "foreign function <unknown>")
    (string info)
    (symbol (printed-name info))
    (sb-di::compiled-debug-fun (printed-name (strip-wrapper (sb-di:debug-fun-name info))))
    (sb-kernel:code-component
     (let ((info (ignore-errors (sb-kernel:%code-debug-info info))))
       (if (typep info 'sb-c::compiled-debug-info)
           (printed-name (sb-c::compiled-debug-info-name info))
           "<unknown code>")))
    (t (printed-name info))))

(defun wrapper-frame-p (info)
  "True for frames between the runner and the user's first frame."
  (and (typep info 'sb-di::compiled-debug-fun)
       (let ((name (strip-wrapper (sb-di:debug-fun-name info))))
         (or (agent-name-p name) (eval-frame-name-p name)))))

(defun runner-frame-p (info)
  (and (typep info 'sb-di::compiled-debug-fun)
       (eq (strip-wrapper (sb-di:debug-fun-name info)) 'run-user-thunk)))

;;; Statistical recording

(defun decode-frame-word (bits code-map)
  "(values info pc) of one frame word of a trace, as sb-sprof::extract-traces makes them."
  (declare (type sb-ext:word bits))
  (flet ((at-code (code offset)
           (sb-sys:with-pinned-objects (code)
             (sb-sprof::debug-info
              (sb-sys:sap+ (sb-sys:int-sap (logandc2 (sb-kernel:get-lisp-obj-address code)
                                                     sb-vm:lowtag-mask))
                           offset)
              code))))
    (cond ((= bits sb-ext:most-positive-word)
           (let ((code (sb-kernel:fun-code-header #'sb-sprof::unavailable-frames)))
             (sb-sprof::debug-info (sb-kernel:code-instructions code) code)))
          ((logbitp 63 bits)
           (let ((code (gethash (ldb (byte 32 0) bits) code-map)))
             (if code
                 (at-code code (ldb (byte 31 32) bits))
                 ;; Code collected since the sample: sb-sprof names it "unknown function".
                 (let ((code (sb-kernel:fun-code-header #'sb-sprof::unknown-function)))
                   (sb-sprof::debug-info (sb-kernel:code-instructions code) code)))))
          (t
           (let ((sap (sb-sys:int-sap bits)))
             (sb-sprof::debug-info sap (sb-di::code-header-from-pc sap)))))))

(defun extract-traces (sap code-map cache)
  "sb-sprof::extract-traces, but each distinct frame word is decoded once (CACHE: word key ->
(info . pc)): deep stacks repeat the same return addresses, and finding the debug-fun of one
took two microseconds."
  (let ((free (nth-value 1 (sb-sprof::sprof-data-header sap)))
        (index 2)
        (result '()))
    (loop while (< index free)
          do (let* ((trace (sb-sprof::sprof-data-trace sap index))
                    (length (sb-sprof::trace-len trace))
                    (locs (make-array (* 2 length))))
               (dotimes (i length)
                 (let* ((bits (sb-sys:sap-ref-word trace (+ 16 (* i sb-sprof::element-size))))
                        ;; a fixnum key: relative words (bit 63) negative, addresses positive
                        (key (cond ((logbitp 63 bits)
                                    (and (< (ldb (byte 31 32) bits) (expt 2 28))
                                         (- -1 (ldb (byte 60 0) bits))))
                                   ((< bits most-positive-fixnum) bits)))
                        (entry (and key (gethash key cache))))
                   (declare (type sb-ext:word bits))
                   (unless entry
                     (setf entry (multiple-value-bind (info pc) (decode-frame-word bits code-map)
                                   (cons info pc)))
                     (when key (setf (gethash key cache) entry)))
                   (setf (svref locs (* 2 i)) (car entry)
                         (svref locs (1+ (* 2 i))) (cdr entry))))
               (push (cons locs (sb-sprof::trace-multiplicity trace)) result)
               (incf index (+ 2 length))))
    result))

(defun raw-traces ()
  "Takes the samples out of sb-sprof's C buffers (which frees them), keeping sb-sprof's own
de-duplication: a list of (thread . ((locs . multiplicity) ...)), locs innermost first as
#(info pc info pc ...).  This is what sb-sprof::convert-raw-data does, minus the expansion of
every sample into its own copy."
  (let ((code-map (sb-sprof::build-serialno-to-code-map))
        (cache (make-hash-table :test 'eql))
        (result '()))
    (let ((mask (sb-sprof::sb-toggle-sigprof (sb-sys:int-sap 0) 1)))
      (sb-sprof::call-with-each-profile-buffer
       (lambda (sap thread memory-usage)
         (declare (ignore memory-usage))
         (push (cons thread (extract-traces sap code-map cache)) result)))
      (setf (sb-alien:extern-alien "sb_sprof_enabled" sb-alien:int) 0)
      (sb-sprof::sb-toggle-sigprof (sb-sys:int-sap 0) mask))
    result))

;;; The stack trie: every kept trace descends from its thread's root, one node per frame, so
;;; that identical stacks merge without a key list per trace, and a walk of the trie yields the
;;; stacks in an order where each shares the longest prefix with the one before.

(deftype node-index () '(unsigned-byte 32))
(defconstant +no-node+ #xFFFFFFFF)
(defconstant +wide+ 8 "Nodes with more children than this find them through a hash table.")

(deftype u32-vector () '(simple-array (unsigned-byte 32) (*)))

(defstruct (trie (:constructor make-trie (&aux (capacity 4096))))
  (frame (make-array capacity :element-type '(unsigned-byte 32)) :type u32-vector)
  (count (make-array capacity :element-type 'fixnum) :type (simple-array fixnum (*)))
  (first-child (make-array capacity :element-type '(unsigned-byte 32)) :type u32-vector)
  (next-sibling (make-array capacity :element-type '(unsigned-byte 32)) :type u32-vector)
  (n-children (make-array capacity :element-type '(unsigned-byte 32)) :type u32-vector)
  (size 0 :type fixnum)
  (wide (make-hash-table :test 'eql)))  ; node -> hash table frame -> child

(defun grow-trie (trie)
  (flet ((grown (vector)
           (let ((new (make-array (* 2 (length vector)) :element-type (array-element-type vector))))
             (replace new vector)
             new)))
    (setf (trie-frame trie) (grown (trie-frame trie))
          (trie-count trie) (grown (trie-count trie))
          (trie-first-child trie) (grown (trie-first-child trie))
          (trie-next-sibling trie) (grown (trie-next-sibling trie))
          (trie-n-children trie) (grown (trie-n-children trie)))))

(defun trie-add (trie parent frame)
  "A new node for FRAME under PARENT (+NO-NODE+ for a root, which is no child of anything)."
  (declare (type trie trie) (type node-index parent frame) (optimize speed))
  (when (= (trie-size trie) (length (trie-frame trie)))
    (grow-trie trie))
  (let ((node (trie-size trie)))
    (declare (type node-index node))
    (setf (trie-size trie) (1+ node)
          (aref (trie-frame trie) node) frame
          (aref (trie-count trie) node) 0
          (aref (trie-first-child trie) node) +no-node+
          (aref (trie-next-sibling trie) node) +no-node+
          (aref (trie-n-children trie) node) 0)
    (unless (= parent +no-node+)
      (setf (aref (trie-next-sibling trie) node) (aref (trie-first-child trie) parent)
            (aref (trie-first-child trie) parent) node)
      (let ((n (incf (aref (trie-n-children trie) parent))))
        (cond ((= n (1+ +wide+))
               ;; The parent turns wide: index all of its children.
               (let ((table (make-hash-table :test 'eql))
                     (next (trie-next-sibling trie)))
                 (loop for child of-type node-index = node then (aref next child)
                       until (= child +no-node+)
                       do (setf (gethash (aref (trie-frame trie) child) table) child))
                 (setf (gethash parent (trie-wide trie)) table)))
              ((> n +wide+)
               (setf (gethash frame (gethash parent (trie-wide trie))) node)))))
    node))

(declaim (inline trie-child))
(defun trie-child (trie parent frame)
  "The child of PARENT for FRAME, made when missing."
  (declare (type trie trie) (type node-index parent frame) (optimize speed))
  (if (> (aref (trie-n-children trie) parent) +wide+)
      (or (gethash frame (gethash parent (trie-wide trie)))
          (trie-add trie parent frame))
      (let ((frames (trie-frame trie))
            (next (trie-next-sibling trie)))
        (loop for child of-type node-index = (aref (trie-first-child trie) parent)
                then (aref next child)
              until (= child +no-node+)
              do (when (= (aref frames child) frame)
                   (return-from trie-child child)))
        (trie-add trie parent frame))))

;;; Aggregating the traces

(defun agent-thread-p (thread)
  (or (eq thread *reader-thread*)
      (member (sb-thread:thread-name thread) '("SPROF timer" "finalizer" "sbcl-profiler")
              :test #'equal)))

(defstruct (frame-info (:constructor %make-frame-info (info)))
  "What a trace's frame (an sb-sprof INFO) is, worked out once per INFO."
  info
  (id -1 :type fixnum)        ; in the frame table, given when a kept stack first uses it
  (lisp-p nil)
  (runner-p nil)
  (wrapper-p nil)
  (start-p nil))

(defun make-frame-info (info)
  (let ((frame-info (%make-frame-info info)))
    (setf (frame-info-lisp-p frame-info) (typep info 'sb-di::compiled-debug-fun)
          (frame-info-runner-p frame-info) (runner-frame-p info)
          (frame-info-wrapper-p frame-info) (wrapper-frame-p info)
          (frame-info-start-p frame-info) (thread-start-frame-p info))
    frame-info))

(defstruct harvest
  (frame-ids (make-hash-table :test 'equal))  ; name -> id
  (infos (make-hash-table :test 'eq))         ; info -> frame-info
  (string-infos (make-hash-table :test 'equal)) ; foreign names come as fresh strings
  (info-cache (make-array 512 :initial-element 0) :type simple-vector) ; info frame-info ...
  (frames (make-array 64 :adjustable t :fill-pointer 0))  ; of JSON objects
  (thread-ids (make-hash-table :test 'eq))
  (threads (make-array 4 :adjustable t :fill-pointer 0))
  (roots (make-array 4 :adjustable t :fill-pointer 0))    ; thread id -> its trie root
  (trie (make-trie))
  (samples 0)
  (kept 0)
  (decode-seconds 0d0)      ; SBCL's own decoding of its sample buffers
  (aggregate-seconds 0d0))

(defun lookup-frame-info (harvest info)
  (if (stringp info)
      (let ((table (harvest-string-infos harvest)))
        (or (gethash info table) (setf (gethash info table) (make-frame-info info))))
      (let ((table (harvest-infos harvest)))
        (or (gethash info table) (setf (gethash info table) (make-frame-info info))))))

(declaim (inline frame-info))
(defun frame-info (harvest info)
  "The frame-info of INFO.  Deep stacks repeat a few functions over and over: a small cache
indexed by address answers most lookups before the hash table.  An object moved by the GC
only misses the cache."
  (declare (optimize speed))
  (let* ((cache (harvest-info-cache harvest))
         (slot (* 2 (ldb (byte 8 4) (sb-kernel:get-lisp-obj-address info)))))
    (declare (type simple-vector cache))
    (if (eq (svref cache slot) info)
        (svref cache (1+ slot))
        (let ((frame-info (lookup-frame-info harvest info)))
          (setf (svref cache slot) info
                (svref cache (1+ slot)) frame-info)
          frame-info))))

(defun frame-info-frame-id (harvest frame-info)
  (let ((id (frame-info-id frame-info)))
    (if (>= id 0)
        id
        (setf (frame-info-id frame-info)
              (let ((info (frame-info-info frame-info))
                    (name (frame-name (frame-info-info frame-info)))
                    (ids (harvest-frame-ids harvest)))
                (or (gethash name ids)
                    (setf (gethash name ids)
                          (multiple-value-bind (file line)
                              (and (typep info 'sb-di::compiled-debug-fun)
                                   (debug-fun-location info))
                            (vector-push-extend (if file
                                                    (obj "name" name "file" file "line" line)
                                                    (obj "name" name))
                                                (harvest-frames harvest))))))))))

(defun thread-root (harvest thread)
  "The trie root of THREAD, which gets its id in the thread table here."
  (let ((id (or (gethash thread (harvest-thread-ids harvest))
                (setf (gethash thread (harvest-thread-ids harvest))
                      (progn (vector-push-extend (trie-add (harvest-trie harvest) +no-node+ 0)
                                                 (harvest-roots harvest))
                             (vector-push-extend (or (sb-thread:thread-name thread) "thread")
                                                 (harvest-threads harvest)))))))
    (aref (harvest-roots harvest) id)))

(defparameter *thread-start-foreign-functions*
  '("foreign function new_thread_trampoline" "foreign function funcall1"
    "foreign function call_into_lisp" "foreign function call_into_lisp_"))

(defun thread-start-frame-p (info)
  "True for the frames by which SBCL starts a thread, outside the thread's own function."
  (let ((run (load-time-value (find-symbol "RUN" "SB-THREAD"))))
    (typecase info
      (string (member info *thread-start-foreign-functions* :test #'string=))
      (sb-di::compiled-debug-fun
       (let ((name (strip-wrapper (sb-di:debug-fun-name info))))
         (or (eq name run)
             (and (consp name) (eq (car (last name)) run)))))
      (t nil))))

(defun user-frames (harvest locs worker-p alloc-p)
  "The frames of one trace (LOCS: #(info pc info pc ...), innermost first) that belong to the
user, as a range [start, end) of positions counted from the outermost frame.  In the worker,
stacks start below the runner (an empty range when it is not on the stack: the worker was idle);
in other threads, at the thread's own function (its innermost frame alone for a sample taken
while it was starting or ending).  For allocation samples, the allocator's own frames are
charged to the first Lisp frame.  Only the frames looked at are looked up."
  (declare (type simple-vector locs))
  (let* ((n (floor (length locs) 2))
         (end n))
    (flet ((info (k) (svref locs (* 2 (- n 1 k))))
           (lisp-p (info) (typep info 'sb-di::compiled-debug-fun)))
      (declare (inline info lisp-p))
      (when alloc-p
        (setf end (loop for k from (1- n) downto 0
                        when (lisp-p (info k)) return (1+ k)
                        finally (return 0))))
      (if worker-p
          (let ((runner (loop for k below end
                              when (and (lisp-p (info k))
                                        (frame-info-runner-p (frame-info harvest (info k))))
                                return k)))
            (values (if runner
                        (loop for k from (1+ runner) below end
                              unless (and (lisp-p (info k))
                                          (frame-info-wrapper-p (frame-info harvest (info k))))
                                return k
                              finally (return end))
                        end)
                    end))
          (values (or (loop for k below end
                            unless (frame-info-start-p (frame-info harvest (info k)))
                              return k)
                      (max 0 (1- end)))
                  end)))))

(defun add-trace (harvest thread worker-p locs multiplicity alloc-p)
  (declare (type simple-vector locs))
  (multiple-value-bind (start end) (user-frames harvest locs worker-p alloc-p)
    (when (< start end)
      (let ((trie (harvest-trie harvest))
            (node (thread-root harvest thread))
            (last (- (floor (length locs) 2) 1)))
        (declare (type fixnum start end last) (type node-index node))
        (loop for k of-type fixnum from start below end
              do (setf node (trie-child trie node
                                        (frame-info-frame-id
                                         harvest
                                         (frame-info harvest (svref locs (* 2 (- last k))))))))
        (incf (aref (trie-count trie) node) multiplicity)
        (incf (harvest-kept harvest) multiplicity)))))

(defun harvest-statistical (mode)
  "The samples of the last sb-sprof recording, aggregated: a harvest."
  (let* ((harvest (make-harvest))
         (alloc-p (eq mode :alloc))
         (start (now))
         (raw (raw-traces))
         (decoded (now)))
    (loop for (thread . traces) in raw
          for agent-p = (agent-thread-p thread)
          for worker-p = (eq thread *worker*)
          do (loop for (locs . multiplicity) in traces
                   do (incf (harvest-samples harvest) multiplicity)
                      (unless agent-p
                        (add-trace harvest thread worker-p locs multiplicity alloc-p))))
    (setf (harvest-decode-seconds harvest) (- decoded start)
          (harvest-aggregate-seconds harvest) (- (now) decoded))
    harvest))

;;; The stacks column: base-64 digits of 5 bits each, low digits first, 32 added to every digit
;;; but a number's last (see PROTOCOL.md)

(defstruct (column (:constructor make-column ()))
  (text (make-string 65536 :element-type 'base-char) :type simple-base-string)
  (end 0 :type fixnum)
  (count 0 :type fixnum))

(defconstant +digit-room+ 13 "Digits of the largest number a column holds (62 bits).")

(defun column-reserve (column n-numbers)
  (let ((needed (+ (column-end column) 1 (* n-numbers +digit-room+))))
    (when (> needed (length (column-text column)))
      (let ((text (make-string (max needed (* 2 (length (column-text column))))
                               :element-type 'base-char)))
        (replace text (column-text column) :end2 (column-end column))
        (setf (column-text column) text)))))

(declaim (inline column-number))
(defun column-number (column n)
  "Appends N (not negative); room must be reserved."
  (declare (type column column) (type (and fixnum unsigned-byte) n) (optimize speed))
  (let ((text (column-text column))
        (end (column-end column))
        (digits (load-time-value
                 (coerce "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                         'simple-base-string)
                 t)))
    (declare (type simple-base-string digits) (type fixnum end))
    (loop (let ((digit (logand n 31)))
            (setf n (ash n -5))
            (setf (schar text end) (schar digits (if (zerop n) digit (+ digit 32))))
            (incf end)
            (when (zerop n) (return))))
    (setf (column-end column) end)))

(defun trie-column (harvest)
  "Every stack of the trie, thread by thread in a depth-first walk: thread, count, how many
frames it shares with the stack before, how many follow, and those frame ids."
  (let* ((trie (harvest-trie harvest))
         (column (make-column))
         (counts (trie-count trie))
         (frames (trie-frame trie))
         (first-child (trie-first-child trie))
         (next-sibling (trie-next-sibling trie))
         (path (make-array 64 :element-type '(unsigned-byte 32)))
         (shared 0))
    (declare (type fixnum shared) (type u32-vector path))
    (labels ((emit (thread count depth)
               (declare (type fixnum thread count depth) (optimize speed))
               (column-reserve column (+ 4 (- depth shared)))
               (column-number column thread)
               (column-number column count)
               (column-number column shared)
               (column-number column (- depth shared))
               (loop for i of-type fixnum from shared below depth
                     do (column-number column (aref path i)))
               (incf (column-count column))
               (setf shared depth))
             (walk (thread node depth)
               (declare (type fixnum thread depth) (type node-index node) (optimize speed))
               (let ((count (aref counts node)))
                 (when (plusp count)
                   (emit thread count depth)))
               (when (>= depth (length path))
                 (let ((longer (make-array (* 2 (length path)) :element-type '(unsigned-byte 32))))
                   (replace longer path)
                   (setf path longer)))
               (loop for child of-type node-index = (aref first-child node)
                       then (aref next-sibling child)
                     until (= child +no-node+)
                     do (setf (aref path depth) (aref frames child))
                        (walk thread child (1+ depth))
                        (setf shared (min shared depth)))))
      (loop for root across (harvest-roots harvest)
            for thread of-type fixnum from 0
            do (setf shared 0)
               (walk thread root 0)))
    column))

(defun harvest-object (harvest)
  (let ((column (trie-column harvest)))
    (obj "frames" (harvest-frames harvest)
         "threads" (harvest-threads harvest)
         "stacks" (make-raw-json-string :text (column-text column) :end (column-end column))
         "stack_count" (column-count column)
         "samples" (harvest-samples harvest)
         "kept_samples" (harvest-kept harvest)
         "decode_seconds" (harvest-decode-seconds harvest)
         "aggregate_seconds" (harvest-aggregate-seconds harvest))))

;;; Deterministic recording

(defparameter *unprofilable-packages* '("SBCL-PROFILER-AGENT" "SB-PROFILE" "SB-SPROF")
  "Instrumenting these would profile the profiler.")

(defun resolve-profile-name (name)
  "A package name (string) or a function name for sb-profile, or NIL."
  (let ((package (or (find-package name) (find-package (string-upcase name)))))
    (if package
        (let ((package-name (package-name package)))
          (when (member package-name *unprofilable-packages* :test #'string=)
            (request-fail "invalid" "cannot profile the package ~A" package-name))
          package-name)
        (let ((function-name (ignore-errors
                              (let ((*package* (find-package "CL-USER"))
                                    (*read-eval* nil))
                                (read-from-string name)))))
          (and function-name
               (sb-int:valid-function-name-p function-name)
               (fboundp function-name)
               (not (and (symbolp function-name) (macro-function function-name)))
               function-name)))))

(defun instrument (names)
  "Instruments every named function or package; returns the warnings it gave."
  (let ((specs '())
        (warnings '()))
    (dolist (name names)
      (unless (stringp name) (request-fail "invalid" "profile names must be strings"))
      (push (or (resolve-profile-name name)
                (request-fail "invalid" "no function or package named ~A" name))
            specs))
    (let ((*debug-io* (make-broadcast-stream)))
      (sb-profile:unprofile)
      (handler-bind ((warning (lambda (w)
                                (push (condition-text w) warnings)
                                (muffle-warning w))))
        (sb-profile::mapc-on-named-funs #'sb-profile::profile-1-fun (nreverse specs))))
    (when (zerop (hash-table-count sb-profile::*profiled-fun-name->info*))
      (request-fail "invalid" "nothing to profile in ~{~A~^, ~}" names))
    (nreverse warnings)))

(defun deterministic-figures ()
  "name -> (calls seconds bytes gc-seconds) for every instrumented function, as an alist."
  (let ((rows '()))
    (maphash (lambda (name info)
               (multiple-value-bind (calls ticks consing nested gc-ticks)
                   (funcall (sb-profile::profile-info-read-stats-fun info))
                 (declare (ignore nested))
                 (push (list name calls (ticks->seconds ticks) consing (ticks->seconds gc-ticks))
                       rows)))
             sb-profile::*profiled-fun-name->info*)
    rows))

(defun sum-figures (runs)
  (let ((table (make-hash-table :test 'equal)))
    (dolist (run runs)
      (dolist (row run)
        (let ((sum (or (gethash (first row) table)
                       (setf (gethash (first row) table) (list (first row) 0 0d0 0 0d0)))))
          (loop for cell on (cdr sum)
                for value in (cdr row)
                do (incf (car cell) value)))))
    (loop for row being the hash-values of table collect row)))

(defun figure-list (row)
  (list (second row) (third row) (fourth row) (fifth row)))

(defun function-objects (runs)
  "The per-function result: totals, and per-run figures when there were several runs."
  (let ((totals (sum-figures runs))
        (ordered-runs (reverse runs)))
    (loop for row in totals
          for name = (first row)
          when (plusp (second row))
            collect (multiple-value-bind (file line)
                        (let ((info (gethash name sb-profile::*profiled-fun-name->info*)))
                          (and info (function-location
                                     (sb-profile::profile-info-encapsulated-fun info))))
                      (apply #'obj "name" (printed-name name)
                             "total" (figure-list row)
                             "runs" (if (cdr runs)
                                        (mapcar (lambda (run)
                                                  (let ((r (assoc name run :test #'equal)))
                                                    (if r (figure-list r) (list 0 0 0 0))))
                                                ordered-runs)
                                        '())
                             (and file (list "file" file "line" line)))))))

(defun finished-runs (recording)
  "The figures of every run, newest first; a run cut short by a stop counts as one."
  (let ((runs (recording-runs recording))
        (current (deterministic-figures)))
    (if (or (null runs) (some (lambda (row) (plusp (second row))) current))
        (cons current runs)
        runs)))

(defun snapshot-run ()
  "Deterministic recordings with several runs: keep this run's figures and start afresh."
  (let ((recording *recording*))
    (when (and recording (eq (recording-mode recording) :deterministic))
      (push (deterministic-figures) (recording-runs recording))
      (sb-profile:reset))))

;;; Requests

(defun parse-mode (text)
  (cond ((equal text "cpu") :cpu)
        ((equal text "alloc") :alloc)
        ((equal text "time") :time)
        ((equal text "deterministic") :deterministic)
        ((equal text "alloc-exact") :alloc-exact)
        (t (request-fail "invalid" "unknown mode ~S (cpu, alloc, time, deterministic or alloc-exact)" text))))

(define-request "start-recording" (message)
  (when *recording*
    (request-fail "busy" "a recording is already running"))
  (let* ((mode (parse-mode (jget message "mode" "cpu")))
         (interval (jget message "interval" 0.01d0))
         (max-samples (jget message "max_samples" 50000))
         (all-threads (not (eq (jget message "all_threads" :true) :false)))
         (warnings '()))
    (unless (and (realp interval) (plusp interval))
      (request-fail "invalid" "the interval must be a positive number of seconds"))
    (unless (and (integerp max-samples) (plusp max-samples))
      (request-fail "invalid" "max_samples must be a positive integer"))
    (when (eq mode :alloc-exact)
      ;; Before the heap snapshot: sb-aprof's first start allocates its tables.
      (start-alloc-exact))
    (begin-memory-recording message)
    (case mode
      (:deterministic (setf warnings (instrument (jget message "names" '()))))
      (:alloc-exact)
      (t
        (let ((*error-output* (make-broadcast-stream)))
          (sb-sprof:start-profiling :mode mode
                                    :sample-interval (float interval 1d0)
                                    :max-samples max-samples
                                    :threads (if all-threads :all (list *worker*))))))
    (setf *recording* (make-recording :mode mode :interval interval :max-samples max-samples
                                      :start (now)
                                      :gc-start sb-ext:*gc-run-time*
                                      :bytes-start (sb-ext:get-bytes-consed)))
    (obj "warnings" warnings
         "instrumented" (case mode
                          (:deterministic (hash-table-count sb-profile::*profiled-fun-name->info*))
                          (:alloc-exact (instrumented-sentence))
                          (t 0)))))

(defun live-sample-count ()
  (max 0 sb-sprof::trace-count))

(define-request "progress" (message)
  (let ((recording *recording*))
    (if recording
        (obj "recording" :true
             "elapsed" (- (now) (recording-start recording))
             "samples" (if (member (recording-mode recording) '(:deterministic :alloc-exact))
                           -1
                           (live-sample-count)))
        (obj "recording" :false))))

(define-request "stop-recording" (message)
  (let ((recording (or *recording* (request-fail "invalid" "no recording is running"))))
    (let* ((mode (recording-mode recording))
           (statistical (not (member mode '(:deterministic :alloc-exact)))))
      (when statistical (sb-sprof:stop-profiling))
      (when (eq mode :alloc-exact) (stop-alloc-exact))
      (let* ((duration (- (now) (recording-start recording)))
             (gc-seconds (ticks->seconds (- sb-ext:*gc-run-time* (recording-gc-start recording))))
             (bytes (- (sb-ext:get-bytes-consed) (recording-bytes-start recording)))
             (taken (if statistical (live-sample-count) 0))
             ;; Before the results are built, which the heap snapshot would count as retained.
             (memory (end-memory-recording))
             (result (case mode
                       (:deterministic
                        (obj "functions" (function-objects (finished-runs recording))))
                       (:alloc-exact (alloc-exact-result bytes))
                       (t (harvest-object (harvest-statistical mode))))))
        (when (eq mode :deterministic)
          (let ((*debug-io* (make-broadcast-stream)))
            (sb-profile:unprofile)))
        (setf *recording* nil)
        (nconc result
               (list (cons "mode" (string-downcase (symbol-name mode)))
                     (cons "interval" (float (recording-interval recording) 1d0))
                     (cons "duration" duration)
                     (cons "gc_seconds" gc-seconds)
                     (cons "bytes_consed" bytes)
                     (cons "truncated" (if (and statistical
                                                (>= taken (recording-max-samples recording)))
                                           :true :false)))
               memory)
        result))))

;;; Workloads

(defun compile-workload (text package)
  "TEXT compiled once into a function of no arguments, named so stacks can be cut below it."
  (let ((forms (read-forms text package)))
    (unless forms (request-fail "invalid" "the workload is empty"))
    (let ((*package* package)
          (*error-output* (make-broadcast-stream)))
      (compile nil `(sb-int:named-lambda workload () ,@forms)))))

(define-request "run" (message :worker t)
  (let* ((text (or (string-arg message "form") (request-fail "invalid" "run needs a form")))
         (count (jget message "count" 1))
         (per-run (eq (jget message "per_run" :false) :true))
         (function (compile-workload text (find-package-arg message)))
         (seconds '()))
    (unless (and (integerp count) (<= 0 count))
      (request-fail "invalid" "count must be a non-negative integer"))
    (dotimes (i count)
      (let ((start (now)))
        (funcall function)
        (push (- (now) start) seconds)
        (when per-run (snapshot-run))))
    (obj "seconds" (nreverse seconds))))
