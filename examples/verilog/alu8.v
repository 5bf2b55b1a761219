// A small 8-bit ALU (combinational): eight operations selected by `op`, with carry and zero flags.
module alu8 (
    input  [7:0] a,
    input  [7:0] b,
    input  [2:0] op,
    input        cin,
    output reg [7:0] y,
    output reg       cout,
    output           zero
);
  always @(*) begin
    cout = 1'b0;
    case (op)
      3'd0: {cout, y} = a + b + cin;      // add with carry
      3'd1: {cout, y} = a - b;            // subtract (cout = borrow)
      3'd2: y = a & b;
      3'd3: y = a | b;
      3'd4: y = a ^ b;
      3'd5: y = {a[6:0], cin};            // shift left through carry
      3'd6: begin y = {cin, a[7:1]}; cout = a[0]; end  // shift right through carry
      default: y = (a < b) ? 8'd1 : 8'd0; // set on less than (unsigned)
    endcase
  end
  assign zero = (y == 8'd0);
endmodule
