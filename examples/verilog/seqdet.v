// A small FSM with flops: detects the serial pattern 1011 (overlapping) on `din`, with a
// synchronous reset, a 3-bit count of matches and a registered `match` output.
module seqdet (
    input            clk,
    input            rst,
    input            din,
    output reg       match,
    output reg [2:0] count
);
  localparam S0 = 3'd0, S1 = 3'd1, S10 = 3'd2, S101 = 3'd3, S1011 = 3'd4;
  reg [2:0] state, next;

  always @(*) begin
    case (state)
      S0:    next = din ? S1 : S0;
      S1:    next = din ? S1 : S10;
      S10:   next = din ? S101 : S0;
      S101:  next = din ? S1011 : S10;
      S1011: next = din ? S1 : S10;
      default: next = S0;
    endcase
  end

  always @(posedge clk) begin
    if (rst) begin
      state <= S0;
      match <= 1'b0;
      count <= 3'd0;
    end else begin
      state <= next;
      match <= (next == S1011);
      if (next == S1011) count <= count + 3'd1;
    end
  end
endmodule
